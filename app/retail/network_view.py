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
import secrets
from typing import Any

from flask import url_for
from pyvis.network import Network

from app import labels
from app.access import mask, reference
from app.filters import local_time
from c360.masking import ACCOUNT
from graph_model.graph_explore import GraphPath, Neighbourhood, neighbourhoods
from graph_model.links import LINK_TARGET_KEYS
from graph_model.network import held_accounts, related_links
from graph_model.scope import DataScope
from graph_model.store import GraphStore
from graph_model.tags import customer_tags

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
    tags = tuple(tag["name"] for tag in customer_tags(store, customer_id))
    _add_customer(network, customer, focus=True, tags=tags)

    for row in held_accounts(store, customer_id, scope, NEIGHBOUR_LIMIT):
        account_node = _add_account(network, row["account_id"])
        _add_holding(network, focus, account_node, row["role"])
        for entry in row["co_holders"]:
            holder = _add_customer(network, entry["customer"])
            _add_holding(network, holder, account_node, entry["role"])

    for row in related_links(store, customer_id, scope, NEIGHBOUR_LIMIT):
        other = _add_link_end(network, row["labels"], row["node"])
        if other is None:
            continue
        source, target = (focus, other) if row["direction"] == "out" else (other, focus)
        link = row["link"]
        other_key = _link_key(row["labels"], row["node"])
        if other_key is None:
            network.add_edge(source, target, **_link_edge_style(link, link.get("origin"), anonymous=True))
            continue
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
            source, target, **_link_edge_style(link, link.get("origin"), anonymous=False), **review
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


def _add_customer(
    network: Network, customer: dict[str, Any], *, focus: bool = False, tags: tuple[str, ...] = ()
) -> str:
    """Draw a customer, or an anonymous stand-in for one out of scope; returns its node id."""
    if customer.get("hidden"):
        return _add_anonymous(network, customer, f"hidden:{len(network.get_nodes())}")
    node_id = f"customer:{customer['customer_id']}"
    network.add_node(
        node_id,
        label=_customer_label(customer),
        title=_customer_tooltip(customer, "当前客户" if focus else "点击打开客户视图", tags),
        url=url_for("retail.customer_page", customer_id=customer["customer_id"]),
        **NODE_STYLES["focus" if focus else "customer"],
    )
    return node_id


def _add_anonymous(network: Network, customer: dict[str, Any], node_id: str) -> str:
    """Draw an out-of-scope customer as its type only; returns ``node_id``."""
    kind = labels.label(labels.CUSTOMER_TYPES, customer.get("customer_type"))
    network.add_node(
        node_id, label="无权查看的客户", title=f"{kind}（不在您的查看范围内）", **NODE_STYLES["hidden"]
    )
    return node_id


def _customer_label(customer: dict[str, Any]) -> str:
    return customer.get("name") or f"客户 {customer['customer_id']}"


def _customer_tooltip(customer: dict[str, Any], hint: str, tags: tuple[str, ...] = ()) -> str:
    lines = [f"客户号：{customer['customer_id']}"]
    if customer.get("gender"):
        lines.append(f"性别：{labels.label(labels.GENDERS, customer['gender'])}")
    if customer.get("birth_date"):
        lines.append(f"出生日期：{customer['birth_date']}")
    if tags:
        lines.append(f"标签：{'、'.join(tags)}")
    lines.append(hint)
    return "\n".join(lines)


def _add_account(network: Network, account_id: str) -> str:
    """Draw an account by its masked number, under an opaque node id; returns the id."""
    node_id = f"account:{reference(account_id)}"
    account_text = f"账户 {mask(account_id, ACCOUNT)}"
    network.add_node(node_id, label=account_text, title=account_text, **NODE_STYLES["account"])
    return node_id


def _link_edge_style(link: dict[str, Any], origin: str | None, *, anonymous: bool) -> dict[str, Any]:
    """Return the label, tooltip, colour, width, dashes and arrows of a RELATED_TO edge."""
    link_type = link["link_type"]
    type_text = labels.label(labels.LINK_TYPES, link_type)
    style = {
        "color": EDGE_COLORS.get(link_type, "#34495e"),
        "arrows": "" if link_type in SYMMETRIC_LINK_TYPES else "to",
    }
    if anonymous:
        # The link's type is all that may be shown of a link to an anonymous customer.
        return style | {"label": type_text, "title": f"关系类型：{type_text}", "dashes": True}
    return style | {
        "label": link.get("relation") or type_text,
        "title": link_tooltip(link),
        "width": 1 + 3 * (link.get("confidence") or 0),
        # Dashed: mined and not yet confirmed by a user.
        "dashes": origin == "mined" and link.get("review_status") != "confirmed",
    }


def _add_holding(network: Network, holder: str, account_node: str, role: str) -> None:
    role_text = labels.label(labels.HOLDER_ROLES, role)
    account_text = network.node_map[account_node]["label"]
    network.add_edge(
        holder,
        account_node,
        label=role_text,
        title=f"{role_text}：{account_text}",
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


#: Maximum number of nodes the knowledge graph page draws before it stops expanding to the next depth.
MAX_DRAWN_NODES = 1_000
#: Above this many nodes the page draws straight edges, because curved ones add physics bodies.
CURVED_EDGES_UP_TO = 200
GROUP_STYLE = {"shape": "box", "color": "#eef1f4", "borderWidth": 1, "margin": 8}
HOLDS_LABEL = "持有账户"
#: Link origins in the order the page lists them. Account holdings come from the core system.
ORIGIN_ORDER = ("system", "mined", "manual")


class GraphPageDrawing:
    """The knowledge graph page's network, grown neighbourhood by neighbourhood or along a path.

    Node and edge ids stay the same from one request to the next, so the page's script can merge
    an expansion into what it draws already. Anonymous stand-ins get random ids instead, because
    they are never expanded and a repeated id would tell that two links reach the same person.
    """

    def __init__(self) -> None:
        self.network = Network(directed=True, cdn_resources="remote")
        self._edge_ids: set[str] = set()
        self.link_types: dict[str, str] = {}
        self.origins: set[str] = set()

    @property
    def node_count(self) -> int:
        return self.network.num_nodes()

    def add_customer(self, customer: dict[str, Any], *, focus: bool = False) -> str:
        """Draw a customer, or an anonymous stand-in for one out of scope; returns its node id."""
        if customer.get("hidden"):
            return _add_anonymous(self.network, customer, f"hidden:{secrets.token_hex(8)}")
        customer_id = customer["customer_id"]
        node_id = f"customer:{customer_id}"
        self.network.add_node(
            node_id,
            label=_customer_label(customer),
            title=_customer_tooltip(customer, "当前客户" if focus else "双击展开其关联方"),
            url=url_for("retail.customer_page", customer_id=customer_id),
            graph_url=url_for("retail.graph_page", customer_id=customer_id),
            expand=url_for("retail.graph_neighbours", customer_id=customer_id),
            **NODE_STYLES["focus" if focus else "customer"],
        )
        return node_id

    def add_neighbourhood(self, hood: Neighbourhood) -> list[str]:
        """Draw a drawn customer's accounts, links and group node; returns the visible customers reached."""
        holder = f"customer:{hood.customer_id}"
        reached = []
        for row in hood.accounts:
            account_node = _add_account(self.network, row["account_id"])
            self._add_holding(holder, account_node, row["role"])
            for entry in row["co_holders"]:
                co_holder = self.add_customer(entry["customer"])
                self._add_holding(co_holder, account_node, entry["role"])
                if not entry["customer"].get("hidden"):
                    reached.append(entry["customer"]["customer_id"])
        for row in hood.links:
            other = self._add_link_end(row["labels"], row["node"])
            if other is None:
                continue
            ends = [(holder, hood.customer_id), (other, _link_key(row["labels"], row["node"]))]
            if row["direction"] == "in":
                ends.reverse()
            # A hub's dozens of edge labels would cover its own; colour and tooltip still give the type.
            self._add_link(ends[0], ends[1], row["link"], labelled=not hood.more)
            if "Customer" in row["labels"] and not row["node"].get("hidden"):
                reached.append(row["node"]["customer_id"])
        if hood.more:
            self._add_group(hood, holder)
        return reached

    def add_path(self, path: GraphPath) -> tuple[list[str], list[str]]:
        """Draw a path's nodes and relationships; returns their ids in path order."""
        node_ids = []
        for entry in path.nodes:
            if "Account" in entry["labels"]:
                node_ids.append(_add_account(self.network, entry["node"]["account_id"]))
            else:
                node_ids.append(self._add_link_end(entry["labels"], entry["node"]))
        edge_ids = []
        for index, step in enumerate(path.steps):
            ends = [index, index + 1] if step["forward"] else [index + 1, index]
            source, target = (node_ids[position] for position in ends)
            if step["type"] == "HOLDS":
                edge_ids.append(self._add_holding(source, target, step["link"].get("role")))
                continue
            source_key, target_key = (_link_key(path.nodes[i]["labels"], path.nodes[i]["node"]) for i in ends)
            edge_ids.append(self._add_link((source, source_key), (target, target_key), step["link"]))
        return node_ids, edge_ids

    def data(self) -> dict[str, Any]:
        """Return the nodes, edges, options and the filters' choices for the page's script."""
        nodes, edges, *_ = self.network.get_network_data()
        link_types = sorted(self.link_types.items(), key=lambda item: item[1])
        origins = [origin for origin in ORIGIN_ORDER if origin in self.origins]
        origins += sorted(self.origins - set(ORIGIN_ORDER))
        return {
            "nodes": nodes,
            "edges": edges,
            "options": _graph_page_options(len(nodes)),
            "filters": {
                "link_types": [
                    {"value": value, "label": label, "color": EDGE_COLORS.get(value, "#34495e")}
                    for value, label in link_types
                ],
                "origins": [
                    {"value": origin, "label": labels.label(labels.LINK_ORIGINS, origin)}
                    for origin in origins
                ],
            },
        }

    def _add_link_end(self, node_labels: list[str], node: dict[str, Any]) -> str | None:
        if "Customer" in node_labels:
            return self.add_customer(node)
        return _add_link_end(self.network, node_labels, node)

    def _add_holding(self, holder: str, account_node: str, role: str | None) -> str:
        edge_id = f"holds:{holder}>{account_node}"
        role_text = labels.label(labels.HOLDER_ROLES, role)
        self._add_edge(
            edge_id,
            holder,
            account_node,
            link_type="holds",
            origin="system",
            label=role_text,
            title=f"{role_text}：{self.network.node_map[account_node]['label']}\n来源：系统",
            color=EDGE_COLORS["holds"],
        )
        self.link_types["holds"] = HOLDS_LABEL
        self.origins.add("system")
        return edge_id

    def _add_link(
        self,
        source: tuple[str, str | None],
        target: tuple[str, str | None],
        link: dict[str, Any],
        *,
        labelled: bool = True,
    ) -> str:
        """Draw a RELATED_TO link between two drawn nodes, each given as (node id, key or None if hidden)."""
        (source_node, source_key), (target_node, target_key) = source, target
        link_type = link["link_type"]
        type_text = labels.label(labels.LINK_TYPES, link_type)
        edge_id = f"link:{source_node}>{target_node}:{link_type}:{link.get('relation') or ''}"
        origin = link.get("origin") or "mined"
        self.link_types[link_type] = type_text
        self.origins.add(origin)

        anonymous = source_key is None or target_key is None
        options = _link_edge_style(link, origin, anonymous=anonymous) | {
            "link_type": link_type,
            "origin": origin,
        }
        if not labelled:
            del options["label"]
        if origin == "mined" and not anonymous:
            options["review"] = {
                "source": source_key,
                "target": target_key,
                "link_type": link_type,
                "status": link.get("review_status"),
            }
        self._add_edge(edge_id, source_node, target_node, **options)
        return edge_id

    def _add_group(self, hood: Neighbourhood, holder: str) -> None:
        """Draw the node standing for a customer's neighbours not drawn; expanding it draws the next batch."""
        node_id = f"group:{holder}"
        drawn = hood.skip + len(hood.accounts) + len(hood.links)
        self.network.add_node(
            node_id,
            label=f"另有 {hood.more:,} 条关系",
            title=(
                f"为保持图谱清晰，已按关系强弱绘制 {drawn:,} 条关系（账户和关联方），"
                f"其余 {hood.more:,} 条合并为此节点。双击可再绘制一批。"
            ),
            expand=url_for("retail.graph_neighbours", customer_id=hood.customer_id, skip=drawn),
            group_of=holder,
            **GROUP_STYLE,
        )
        self._add_edge(node_id, holder, node_id, color="#8895a3", dashes=True, arrows="")

    def _add_edge(self, edge_id: str, source: str, target: str, **options: Any) -> None:
        if edge_id not in self._edge_ids:
            self._edge_ids.add(edge_id)
            self.network.add_edge(source, target, id=edge_id, **options)


def customer_graph(
    store: GraphStore, customer: dict[str, Any], scope: DataScope, *, depth: int, hub_limit: int
) -> dict[str, Any]:
    """Draw a customer's neighbourhood ``depth`` customers deep, ``hub_limit`` neighbours per customer.

    Expansion stops once MAX_DRAWN_NODES are drawn, and ``truncated`` is then true. Customers
    already expanded carry ``expanded``, so the page does not request them again.
    """
    drawing = GraphPageDrawing()
    drawing.add_customer(customer, focus=True)
    frontier = [customer["customer_id"]]
    expanded: set[str] = set()
    truncated = False
    for _level in range(depth):
        reached = []
        while frontier and not truncated:
            # Each customer adds at most hub_limit neighbours and a group node.
            room = (MAX_DRAWN_NODES - drawing.node_count) // (hub_limit + 1)
            if room < 1:
                truncated = True
                break
            batch, frontier = frontier[:room], frontier[room:]
            for hood in neighbourhoods(store, batch, scope, hub_limit):
                reached += drawing.add_neighbourhood(hood)
            expanded.update(batch)
        frontier = [customer_id for customer_id in dict.fromkeys(reached) if customer_id not in expanded]
    for customer_id in expanded:
        drawing.network.node_map[f"customer:{customer_id}"]["expanded"] = True
    return drawing.data() | {"truncated": truncated, "depth": depth}


def neighbour_graph(
    store: GraphStore, customer: dict[str, Any], scope: DataScope, hub_limit: int, *, skip: int = 0
) -> dict[str, Any]:
    """Draw one customer's neighbours after the first ``skip``, for the page to merge into its drawing."""
    drawing = GraphPageDrawing()
    drawing.add_customer(customer)
    for hood in neighbourhoods(store, [customer["customer_id"]], scope, hub_limit, skip=skip):
        drawing.add_neighbourhood(hood)
    drawing.network.node_map[f"customer:{customer['customer_id']}"]["expanded"] = True
    return drawing.data()


def path_graph(path: GraphPath) -> dict[str, Any]:
    """Draw a path between two customers; ``path`` lists its node ids and ``path_edges`` its edge ids."""
    drawing = GraphPageDrawing()
    node_ids, edge_ids = drawing.add_path(path)
    return drawing.data() | {"path": node_ids, "path_edges": edge_ids}


def _link_key(node_labels: list[str], node: dict[str, Any]) -> str | None:
    """Return the key a review request names a link's end by, or None for an anonymous customer."""
    if node.get("hidden"):
        return None
    label = next(label for label in node_labels if label in LINK_TARGET_KEYS)
    return node[LINK_TARGET_KEYS[label]]


def _graph_page_options(node_count: int) -> dict[str, Any]:
    options = json.loads(Network(directed=True, cdn_resources="remote").options.to_json())
    large = node_count > CURVED_EDGES_UP_TO
    options["physics"]["stabilization"].update({"iterations": 250 if large else 400, "updateInterval": 25})
    options["physics"]["barnesHut"] = {
        "springLength": 170,
        "avoidOverlap": 0.5,
        "gravitationalConstant": -6000,
    }
    options["interaction"].update({"hover": True, "hideEdgesOnDrag": large, "tooltipDelay": 150})
    options["edges"]["smooth"] = {"enabled": False} if large else {"enabled": True, "type": "dynamic"}
    # Labels shrink with the zoom and are not drawn once smaller than drawThreshold pixels.
    options["edges"]["font"] = {"size": 12, "align": "horizontal", "background": "rgba(255,255,255,0.85)"}
    # A white outline keeps node labels readable where edges run under them.
    options["nodes"] = {
        "font": {"size": 15, "strokeWidth": 4, "strokeColor": "#ffffff"},
        "scaling": {"label": {"drawThreshold": 6}},
    }
    options["layout"] = {"randomSeed": LAYOUT_SEED, "improvedLayout": not large}
    return options
