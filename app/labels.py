"""Chinese display names of the product's codes; the graph stores codes, screens show these."""

from __future__ import annotations

GENDERS = {"F": "女", "M": "男"}
HOLDER_ROLES = {"owner": "户主", "authorised": "授权使用人"}
DIRECTIONS = {"credit": "收入", "debit": "支出"}
OPERATIONS = {
    "card_withdrawal": "刷卡取现",
    "cash_deposit": "现金存入",
    "transfer_in": "他行转入",
    "cash_withdrawal": "现金支取",
    "transfer_out": "转出至他行",
    "": "—",
}
PURPOSES = {
    "insurance": "保险费",
    "statement_fee": "对账单费",
    "interest": "利息",
    "penalty_interest": "罚息",
    "household_bills": "生活缴费",
    "pension": "养老金",
    "loan_payment": "贷款还款",
    "leasing": "租赁",
    "": "—",
}
STATEMENT_FREQUENCIES = {"monthly": "按月", "weekly": "按周", "after_transaction": "逐笔"}
ACCOUNT_TYPES = {"current": "活期存款账户", "SAVINGS": "个人储蓄账户", "CORPORATE": "单位结算账户"}
LOAN_STATUSES = {
    "finished_paid": "已结清",
    "finished_unpaid": "已到期未还清",
    "running_ok": "正常还款中",
    "running_in_debt": "逾期",
}
CARD_TYPES = {"junior": "青少年卡", "classic": "普卡", "gold": "金卡"}
LINK_TYPES = {
    "household": "家庭（共同账户）",
    "regular_payee": "定期付款",
    "common_payee": "共同收款方",
    "regular_transfer": "定期转账",
    "supplies": "供应（上游→下游）",
    "family": "家庭成员",
    "village": "同村（社区）",
    "clan": "同一家族",
    "actual_controller": "实际控制人",
    "beneficial_owner": "受益所有人",
    "group_member": "同一集团",
    "guarantee_circle": "担保圈",
    "mutual_guarantee": "互保",
    "manual": "手工关系",
}
MINERS = {
    "flows": "资金往来、家庭与村社",
    "ownership": "股权穿透与集团",
    "guarantees": "担保圈",
}
JOB_STATUSES = {
    "queued": "排队中",
    "started": "运行中",
    "finished": "已完成",
    "failed": "失败",
    "stopped": "已停止",
    "canceled": "已取消",
    "deferred": "等待中",
    "scheduled": "已计划",
}
LINK_ORIGINS = {"mined": "挖掘", "manual": "手工", "system": "系统"}
REVIEW_STATUSES = {"pending": "待人工确认", "confirmed": "已确认", "rejected": "已否决"}
CHANNELS = {
    "MOBILE": "手机银行",
    "POS": "POS消费",
    "BATCH": "批量代发",
    "AUTO_DEBIT": "自动扣款",
    "CORP_BANK": "企业网银",
    "COUNTER": "柜面",
    "ATM": "ATM",
}
#: Channels through which customers reach the bank: complaints, needs, campaigns, online events.
SERVICE_CHANNELS = {
    "MOBILE": "手机银行",
    "WECHAT": "微信银行",
    "ONLINE": "网上银行",
    "COUNTER": "柜面",
    "CALL_CENTER": "客服热线",
    "MANAGER": "客户经理",
}
RECORD_STATUSES = {
    "ACTIVE": "有效",
    "CLOSED": "已关闭",
    "OPEN": "待处理",
    "RESOLVED": "已解决",
    "FOLLOWING": "跟进中",
    "MET": "已满足",
    "EXPIRED": "已到期",
    "TERMINATED": "已解约",
}
GUARANTEE_TYPES = {"GUARANTOR": "保证", "MORTGAGE": "抵押", "PLEDGE": "质押"}
AGREEMENT_TYPES = {
    "DEPOSIT": "存款类",
    "WEALTH": "理财类",
    "LOAN": "贷款类",
    "COOPERATION": "合作类",
    "INTERMEDIARY": "中间业务类",
}
CAMPAIGN_RESPONSES = {"JOINED": "已参与", "CONVERTED": "已成交", "DECLINED": "已婉拒"}
CONTACT_TYPES = {"CALL": "电话", "SMS": "短信", "VISIT": "面访", "WECHAT": "微信"}
CHANNEL_EVENT_TYPES = {
    "REGISTER": "注册",
    "LOGIN": "登录",
    "BROWSE": "浏览",
    "CLICK": "点击",
    "PURCHASE": "购买",
}
KEY_EVENT_TYPES = {"FIRST_ACCOUNT": "首次开户", "LEVEL_CHANGE": "等级变动", "BUSINESS": "业务办理"}
MAJOR_EVENT_CATEGORIES = {
    "CAREER": "职业",
    "FAMILY": "家庭",
    "ASSET": "资产",
    "BUSINESS": "经营",
    "HEALTH": "健康",
    "OTHER": "其他",
}
PREFERENCE_CATEGORIES = {
    "HOBBY": "兴趣爱好",
    "INVESTMENT": "投资偏好",
    "CHANNEL": "渠道偏好",
    "CONTACT_TIME": "联系时间",
    "PRODUCT": "产品偏好",
}
PREFERENCE_SOURCES = {"MANAGER": "客户经理记录", "SURVEY": "问卷调查", "SYSTEM": "系统推断"}
CARD_PRODUCTS = {"STANDARD": "普卡", "GOLD": "金卡", "PLATINUM": "白金卡"}
RATERS = {"SYSTEM": "系统评定", "MANUAL": "人工调整"}
MANAGER_ROLES = {"primary": "主办", "assisting": "协办"}
ID_TYPES = {
    "RESIDENT_ID": "居民身份证",
    "PASSPORT": "护照",
    "HK_MO_PASS": "港澳居民来往内地通行证",
    "TW_PASS": "台湾居民来往大陆通行证",
    "OTHER": "其他证件",
}
FAMILY_RELATIONS = {
    "SPOUSE": "配偶",
    "CHILD": "子女",
    "PARENT": "父母",
    "SIBLING": "兄弟姐妹",
    "OTHER": "其他亲属",
}
CUSTOMER_LEVELS = {
    "NORMAL": "普通客户",
    "SILVER": "银卡客户",
    "GOLD": "金卡客户",
    "PLATINUM": "白金客户",
    "DIAMOND": "钻石客户",
    "PRIVATE": "私人银行客户",
}
CUSTOMER_TYPES = {"retail": "零售客户", "corporate": "对公客户"}
MATCHED_BY = {"identity": "证件号/手机号", "customer_id": "客户号", "account_id": "账号", "name": "姓名"}
#: Channels through which a rejected request for a customer came, as stored in its audit event.
ACCESS_CHANNELS = {
    "page": "打开客户页面",
    "search": "精确查询",
    "graph": "图谱展开",
    "export": "导出",
    "api": "接口调用",
}
#: Permissions of ``c360.roles``, as the audit of a request refused for lacking one names them.
PERMISSIONS = {
    "unmask": "显示完整敏感信息",
    "maintain": "维护客户信息",
    "review_links": "审核关系",
    "export": "导出",
    "administer": "系统管理",
    "read_audit": "查看审计日志",
}
AUDIT_ACTIONS = {
    "view_customer": "查看客户",
    "access_refused": "拒绝越权访问",
    "permission_refused": "拒绝无权限操作",
    "change_refused": "拒绝修改源系统数据",
    "unmask": "显示敏感信息",
    "export_customer": "导出客户资料",
    "export_audit": "导出审计日志",
    "review_link": "审核挖掘关系",
    "add_manual_link": "新增手工关系",
    "update_manual_link": "修改手工关系",
    "remove_manual_link": "删除手工关系",
    "login": "登录",
    "login_failed": "登录失败",
    "login_locked": "登录锁定",
    "logout": "退出",
    "create_user": "新建用户",
    "update_user": "修改用户",
    "reset_password": "重置密码",
    "deactivate_user": "停用用户",
    "unlock_user": "解除登录锁定",
    "add_tag": "添加标签",
    "remove_tag": "删除标签",
    "dismiss_reminder": "处理提醒",
    "create_view": "新建视图",
    "update_view": "修改视图",
    "maintain_customer": "维护客户信息",
    "add_record": "新增维护记录",
    "update_record": "修改维护记录",
    "remove_record": "删除维护记录",
    "declare_family": "登记家庭成员",
    "end_family": "删除家庭成员",
    "create_opportunity": "创建销售商机",
    "create_campaign": "创建营销活动",
    "create_recommendation_rule": "新建推荐规则",
    "update_recommendation_rule": "修改推荐规则",
    "enable_recommendation_rule": "启用推荐规则",
    "disable_recommendation_rule": "停用推荐规则",
}


def label(table: dict[str, str], code: str | None) -> str:
    """Return the Chinese name of ``code``, or the code itself when the table lacks it."""
    if code is None:
        return "—"
    return table.get(code, code)
