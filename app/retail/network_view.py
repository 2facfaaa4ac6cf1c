"""Build a customer's knowledge graph with pyvis, as data for the page's vis-network canvas.

pyvis's own HTML output links Bootstrap from a CDN, so only its network model and options are
used here. The page draws them with the vis-network copy in ``static/``. Labels and tooltips
are plain text: the page's script inserts them with ``textContent``, never as HTML.

Account numbers are masked in labels and tooltips, and node ids carry opaque references instead
of them. Customers outside the user's scope are drawn as anonymous nodes: their type and the
link's type, nothing else, and no way to open or review them.
"""

from __future__ import annotations

import json
from typing import Any

from flask import url_for
from pyvis.network import Network

from app import labels
from app.access import mask, reference
from app.filters import local_time
from c360.masking import ACCOUNT
from graph_model.links import LINK_TARGET_KEYS
from graph_model.network import held_accounts, related_links
from graph_model.scope import DataScope
from graph_model.store import GraphStore

#: Most accounts and links drawn around one customer.
NEIGHBOUR_LIMIT = 60

NODE_STYLES = {
    "focus": {"shape": "dot", "size": 30, "color": "#c0392b"},
    "customer": {"shape": "dot", "size": 20, "color": "#2e86c1"},
    "account": {"shape": "square", "size": 12, "color": "#7f8c8d"},
    "counterparty": {"shape": "diamond", "size": 12, "color": "#d68910"},
    "community": {"shape": "triangle", "size": 16, "color": "#27ae60"},
    "hidden": {"shape": "dot", "size": 14, "color": "#bdc3c7"},
}
EDGE_COLORS = {
    "holds": "#95a5a6",
    "household": "#c0392b",
    "common_payee": "#8e44ad",
    "regular_payee": "#d68910",
    "regular_transfer": "#16a085",
    "family": "#c0392b",
    "supplies": "#2471a3",
    "village": "#27ae60",
    "clan": "#1e8449",
    "actual_controller": "#7d3c98",
    "beneficial_owner": "#a569bd",
    "group_member": "#5b2c6f",
    "guarantee_circle": "#ba4a00",
    "mutual_guarantee": "#ba4a00",
}
#: Link types that have no direction; they are drawn without arrows.
SYMMETRIC_LINK_TYPES = frozenset({"household", "common_payee", "family", "mutual_guarantee"})
CADENCES = {"weekly": "每周", "fortnightly": "每两周", "monthly": "每月", "periodic": "定期"}
FAMILY_EVIDENCE = {
    "same_address": "同一住址",
    "same_mobile": "同一手机号",
    "joint_account": "共同账户",
    "regular_transfer": "定期转账",
    "steady_transfers": "多次定期转账",
    "declared": "客户申报",
    "same_household": "同户成员",
}
RELATIONS = {"SPOUSE": "配偶", "CHILD": "子女", "PARENT": "父母", "SIBLING": "兄弟姐妹", "OTHER": "其他"}
#: Fixed seed, so the same network is laid out the same way on every visit.
LAYOUT_SEED = 20


def customer_network(store: GraphStore, customer: dict[str, Any], scope: DataScope) -> dict[str, Any]:
    """Return ``{"nodes", "edges", "options"}`` for the knowledge graph around a customer."""
    customer_id = customer["customer_id"]
    focus = f"customer:{customer_id}"
    network = Network(directed=True, cdn_resources="remote")
    _add_customer(network, customer, focus=True)

    for row in held_accounts(store, customer_id, scope, NEIGHBOUR_LIMIT):
        account_node = f"account:{reference(row['account_id'])}"
        account_text = f"账户 {mask(row['account_id'], ACCOUNT)}"
        network.add_node(account_node, label=account_text, title=account_text, **NODE_STYLES["account"])
        _add_holding(network, focus, account_node, account_text, row["role"])
        for entry in row["co_holders"]:
            holder = _add_customer(network, entry["customer"])
            _add_holding(network, holder, account_node, account_text, entry["role"])

    for row in related_links(store, customer_id, scope, NEIGHBOUR_LIMIT):
        other = _add_link_end(network, row["labels"], row["node"])
        if other is None:
            continue
        source, target = (focus, other) if row["direction"] == "out" else (other, focus)
        link = row["link"]
        if row["node"].get("hidden"):
            network.add_edge(
                source,
                target,
                title=f"关系类型：{labels.label(labels.LINK_TYPES, link['link_type'])}",
                label=labels.label(labels.LINK_TYPES, link["link_type"]),
                color=EDGE_COLORS.get(link["link_type"], "#34495e"),
                dashes=True,
                arrows="" if link["link_type"] in SYMMETRIC_LINK_TYPES else "to",
            )
            continue
        other_label = next(label for label in row["labels"] if label in LINK_TARGET_KEYS)
        other_key = row["node"][LINK_TARGET_KEYS[other_label]]
        link_source, link_target = (
            (customer_id, other_key) if row["direction"] == "out" else (other_key, customer_id)
        )
        # The page's script sends these back to edit or remove a manual link, or to review a mined one.
        review = {}
        if link.get("origin") == "manual":
            review = {
                "manual": {
                    "source": link_source,
                    "target": link_target,
                    "relation": link.get("relation"),
                    "note": link.get("note") or "",
                }
            }
        if link.get("origin") == "mined":
            review = {
                "review": {
                    "source": link_source,
                    "target": link_target,
                    "link_type": link["link_type"],
                    "status": link.get("review_status"),
                }
            }
        network.add_edge(
            source,
            target,
            title=link_tooltip(link),
            label=link.get("relation") or labels.label(labels.LINK_TYPES, link["link_type"]),
            color=EDGE_COLORS.get(link["link_type"], "#34495e"),
            width=1 + 3 * (link.get("confidence") or 0),
            # Dashed: mined and not yet confirmed by a user.
            dashes=link.get("origin") == "mined" and link.get("review_status") != "confirmed",
            arrows="" if link["link_type"] in SYMMETRIC_LINK_TYPES else "to",
            **review,
        )

    nodes, edges, *_ = network.get_network_data()
    options = json.loads(network.options.to_json())
    options["physics"]["stabilization"]["iterations"] = 300
    options["interaction"]["hover"] = True
    options["edges"]["font"] = {"size": 13, "align": "horizontal", "background": "rgba(255,255,255,0.85)"}
    options["nodes"] = {"font": {"size": 16}}
    options["layout"] = {"randomSeed": LAYOUT_SEED}
    # Longer springs and overlap avoidance keep edge labels off the node labels.
    options["physics"]["barnesHut"] = {
        "springLength": 190,
        "avoidOverlap": 0.6,
        "gravitationalConstant": -6000,
    }
    return {"nodes": nodes, "edges": edges, "options": options}


def link_tooltip(link: dict[str, Any]) -> str:
    """Describe a link and its evidence as plain text lines."""
    lines = [
        f"关系类型：{labels.label(labels.LINK_TYPES, link.get('link_type'))}",
        f"来源：{labels.label(labels.LINK_ORIGINS, link.get('origin'))}",
    ]
    if link.get("origin") == "manual":
        lines[0] = f"关系类型：{link.get('relation', '')}（手工记录）"
        if link.get("note"):
            lines.append(f"备注：{link['note']}")
        lines.append(f"记录人：{link.get('updated_by', '')}，{local_time(link.get('updated_at'))}")
        return "\n".join(lines)
    if link.get("confidence") is not None:
        lines.append(f"置信度：{link['confidence']:.2f}")
    if link.get("evidence_count") is not None:
        lines.append(f"依据笔数：{link['evidence_count']}")
    if link.get("evidence_amount"):
        lines.append(f"涉及金额：{link['evidence_amount']:,.2f}")
    if link.get("first_date") and link.get("last_date"):
        lines.append(f"时间范围：{link['first_date']} 至 {link['last_date']}")
    elif link.get("first_date"):
        lines.append(f"起始日期：{link['first_date']}")
    basis = [item for item in link.get("basis") or [] if item]
    if basis:
        listed = "、".join(_basis_text(link.get("link_type"), item) for item in basis[:6])
        more = f" 等 {len(basis)} 项" if len(basis) > 6 else ""
        lines.append(f"依据：{listed}{more}")
    if link.get("miner"):
        miner = labels.label(labels.MINERS, link["miner"])
        lines.append(f"挖掘规则：{miner}（版本 {link.get('miner_version', '')}）")
    if link.get("origin") == "mined":
        status = labels.label(labels.REVIEW_STATUSES, link.get("review_status") or "pending")
        if link.get("reviewed_by"):
            status += f"（{link['reviewed_by']}，{local_time(link.get('reviewed_at'))}）"
        lines.append(f"审核：{status}")
    return "\n".join(lines)


def _basis_text(link_type: str | None, item: str) -> str:
    """Say one piece of a link's evidence in Chinese; ids and codes stay as they are."""
    kind, _, rest = item.partition(" ")
    if item == "standing_order":
        return "定期委托付款"
    if link_type == "household":
        return f"共同账户 {mask(item, ACCOUNT)}"
    if "/" in item:
        return f"对手账户 {mask(item, ACCOUNT)}"
    if ">" in item:
        return "持股路径 " + " → ".join(item.split(">"))
    if kind in FAMILY_EVIDENCE:
        detail = CADENCES.get(rest) or RELATIONS.get(rest) or rest
        return f"{FAMILY_EVIDENCE[kind]}（{detail}）" if detail else FAMILY_EVIDENCE[kind]
    if item in CADENCES:
        return f"{CADENCES[item]}付款"
    if kind == "households":
        return f"{rest} 户"
    if kind == "majority":
        return f"持股 {rest}%（过半数）"
    if kind == "largest":
        return f"第一大股东，持股 {rest}%"
    if kind == "share":
        return f"占买方付款 {rest}"
    if item == "ownership":
        return "持股达到受益所有人标准"
    if item == "control":
        return "以实际控制认定"
    if item == "common actual controller":
        return "同一实际控制人"
    return item


def _add_customer(network: Network, customer: dict[str, Any], *, focus: bool = False) -> str:
    """Draw a customer, or an anonymous stand-in for one out of scope; returns its node id."""
    if customer.get("hidden"):
        node_id = f"hidden:{len(network.get_nodes())}"
        kind = labels.label(labels.CUSTOMER_TYPES, customer.get("customer_type"))
        network.add_node(
            node_id, label="无权查看的客户", title=f"{kind}（不在您的查看范围内）", **NODE_STYLES["hidden"]
        )
        return node_id
    node_id = f"customer:{customer['customer_id']}"
    title = [f"客户号：{customer['customer_id']}"]
    if customer.get("gender"):
        title.append(f"性别：{labels.label(labels.GENDERS, customer['gender'])}")
    if customer.get("birth_date"):
        title.append(f"出生日期：{customer['birth_date']}")
    title.append("点击打开客户视图" if not focus else "当前客户")
    network.add_node(
        node_id,
        label=customer.get("name") or f"客户 {customer['customer_id']}",
        title="\n".join(title),
        url=url_for("retail.customer_page", customer_id=customer["customer_id"]),
        **NODE_STYLES["focus" if focus else "customer"],
    )
    return node_id


def _add_holding(network: Network, holder: str, account_node: str, account_text: str, role: str) -> None:
    network.add_edge(
        holder,
        account_node,
        label=labels.label(labels.HOLDER_ROLES, role),
        title=f"{labels.label(labels.HOLDER_ROLES, role)}：{account_text}",
        color=EDGE_COLORS["holds"],
    )


def _add_link_end(network: Network, node_labels: list[str], node: dict[str, Any]) -> str | None:
    if "Customer" in node_labels:
        return _add_customer(network, node)
    if "Community" in node_labels:
        node_id = f"community:{node['community_id']}"
        kind = "村社" if node.get("kind") == "village" else "家族"
        network.add_node(
            node_id,
            label=node.get("name") or kind,
            title=f"{kind}：{node.get('name', '')}\n成员：{node.get('member_count', '')} 位客户",
            **NODE_STYLES["community"],
        )
        return node_id
    if "CounterpartyAccount" in node_labels:
        node_id = f"counterparty:{reference(node['account_key'])}"
        network.add_node(
            node_id,
            label=mask(node["account_key"], ACCOUNT),
            title=(
                f"他行账户\n银行代码：{node.get('bank_code', '')}\n"
                f"账号：{mask(node.get('account_number'), ACCOUNT)}"
            ),
            **NODE_STYLES["counterparty"],
        )
        return node_id
    return None
