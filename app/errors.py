"""Error pages in Chinese; no stack trace ever reaches the browser."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from graph_model.exceptions import GraphStoreError, GraphUnavailable, QueryTimedOut

logger = logging.getLogger(__name__)

MESSAGES = {
    400: ("请求无效", "请求内容不完整或已过期，请返回上一页刷新后重试。"),
    403: ("无权访问", "您没有查看此内容的权限。"),
    404: ("未找到", "您要查找的页面或客户不存在，请检查编号后重新查询。"),
    413: ("请求过大", "提交的内容超过允许的大小。"),
    500: ("系统错误", "系统处理请求时出错，已记录日志，请稍后重试或联系管理员。"),
    503: ("图数据库暂不可用", "暂时无法连接图数据库，请稍后重试；如持续出现请联系管理员。"),
    504: ("查询超时", "查询耗时超过限制已被终止，请缩小查询范围后重试。"),
}


def _page(status: int):
    title, message = MESSAGES.get(status, MESSAGES[500])
    return render_template("error.html", status=status, title=title, message=message), status


def _http_error(error: HTTPException):
    return _page(error.code or 500)


def _store_error(error: GraphStoreError):
    if isinstance(error, QueryTimedOut):
        logger.warning("Query timed out on %s: %s", request.path, error)
        return _page(504)
    if isinstance(error, GraphUnavailable):
        logger.error("Graph store unavailable on %s: %s", request.path, error)
        return _page(503)
    logger.exception("Graph store error on %s", request.path)
    return _page(500)


def _unexpected_error(error: Exception):
    logger.exception("Unhandled error on %s %s", request.method, request.path)
    return _page(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(GraphStoreError, _store_error)
    app.register_error_handler(Exception, _unexpected_error)
