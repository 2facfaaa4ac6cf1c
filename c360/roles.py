"""The roles of the product's users: the customers each may see, and what each may do.

A role's scope decides which customers its users see:

- ``managed``: the customers the user's own manager record manages (primary or assisting) and
  those managed by anyone of the same grid;
- ``branch``: the customers opened at, or managed from, the user's branch and the branches below it;
- ``bank``: every customer;
- ``none``: no customer (the auditor reads the audit trail only).

Permissions add actions on top of seeing: showing a masked value in full, maintaining what
managers know, reviewing mined links, exporting, administering users and jobs, reading the audit.
"""

from __future__ import annotations

from dataclasses import dataclass

UNMASK = "unmask"
MAINTAIN = "maintain"
REVIEW_LINKS = "review_links"
EXPORT = "export"
ADMINISTER = "administer"
READ_AUDIT = "read_audit"


@dataclass(frozen=True)
class Role:
    label: str
    scope: str
    permissions: frozenset[str]


#: Permissions of the business roles that serve customers, beyond seeing them.
SERVING_CUSTOMERS = frozenset({UNMASK, MAINTAIN, REVIEW_LINKS, EXPORT})

ROLES: dict[str, Role] = {
    "relationship_manager": Role("客户经理", "managed", SERVING_CUSTOMERS),
    "branch_manager": Role("支行/分行负责人", "branch", SERVING_CUSTOMERS),
    "head_office_manager": Role("总行业务管理员", "bank", SERVING_CUSTOMERS),
    "head_office_analyst": Role("总行分析员", "bank", frozenset({EXPORT})),
    "risk_officer": Role("风险管理人员", "bank", frozenset({UNMASK, REVIEW_LINKS, EXPORT})),
    # Administrators see customers masked, so that they can check what users report; they may not
    # show values in full or change customer data.
    "admin": Role("系统管理员", "bank", frozenset({ADMINISTER, READ_AUDIT})),
    "auditor": Role("审计人员", "none", frozenset({READ_AUDIT})),
}


def role_of(name: str) -> Role:
    """Return the role called ``name``; an unknown role name gets no scope and no permission."""
    return ROLES.get(name, Role(name, "none", frozenset()))


def has_permission(role_name: str, permission: str) -> bool:
    return permission in role_of(role_name).permissions
