"""Data scope: the customers a user may see, resolved from the organisation in the graph.

A scope is resolved once per request from the user's role, branch and manager record. The
repository functions that return customers take it and filter inside their queries, so a page
cannot show an out-of-scope customer by forgetting a check.

A customer is in a scope when the scope is the whole bank, or when the customer was opened at
one of the scope's branches. A customer is also in it through a current manager (``MANAGED_BY``
without ``valid_to``) who is one of the scope's managers, belongs to one of its grids or works at
one of its branches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graph_model.store import GraphStore

#: Deepest organisation tree walked below a branch: head office, branch, sub-branch and more.
MAX_BRANCH_DEPTH = 8

BRANCH_SUBTREE = f"""
MATCH path = (b:Branch)-[:PART_OF*0..{MAX_BRANCH_DEPTH}]->(:Branch {{branch_code: $branch_code}})
WHERE all(link IN relationships(path) WHERE link.valid_to IS NULL)
RETURN DISTINCT b.branch_code AS branch_code
"""

MANAGER_GRID = """
MATCH (m:Manager {manager_id: $manager_id})
RETURN m.grid_code AS grid_code
"""

#: Appended to a query that has bound ``c`` to a customer; keeps the rows of in-scope customers.
IN_SCOPE = """
OPTIONAL MATCH (c)-[scope_link:MANAGED_BY]->(scope_manager:Manager)
WHERE scope_link.valid_to IS NULL
WITH c, collect(scope_manager) AS scope_managers
WHERE $scope_whole_bank OR c.open_branch IN $scope_branches
   OR any(m IN scope_managers WHERE m.manager_id IN $scope_managers OR m.grid_code IN $scope_grids
                                 OR m.branch_code IN $scope_branches)
"""

CUSTOMERS_IN_SCOPE = (
    """
UNWIND $customer_ids AS customer_id
MATCH (c:Customer {customer_id: customer_id})
"""
    + IN_SCOPE
    + "RETURN c.customer_id AS customer_id"
)

CUSTOMER_EXISTS = """
MATCH (c:Customer {customer_id: $customer_id})
RETURN count(c) AS found
"""


@dataclass(frozen=True)
class DataScope:
    """The customers one user may see; the default scope contains none."""

    whole_bank: bool = False
    branch_codes: tuple[str, ...] = ()
    manager_ids: tuple[str, ...] = ()
    grid_codes: tuple[str, ...] = ()

    @property
    def params(self) -> dict[str, Any]:
        """The query parameters that ``IN_SCOPE`` reads."""
        return {
            "scope_whole_bank": self.whole_bank,
            "scope_branches": list(self.branch_codes),
            "scope_managers": list(self.manager_ids),
            "scope_grids": list(self.grid_codes),
        }

    @property
    def sees_nobody(self) -> bool:
        return not (self.whole_bank or self.branch_codes or self.manager_ids or self.grid_codes)


WHOLE_BANK = DataScope(whole_bank=True)
NOBODY = DataScope()


class OutOfScope(PermissionError):
    """The customer exists but lies outside the user's scope."""

    def __init__(self, customer_id: str):
        super().__init__(f"customer {customer_id} is out of scope")
        self.customer_id = customer_id


def resolve_scope(
    store: GraphStore, kind: str, *, branch_code: str | None, manager_id: str | None
) -> DataScope:
    """Return the scope of a role's kind (see ``c360.roles``) for a user of this branch and manager record."""
    if kind == "bank":
        return WHOLE_BANK
    if kind == "branch" and branch_code:
        rows = store.read(BRANCH_SUBTREE, {"branch_code": branch_code})
        return DataScope(branch_codes=tuple(sorted(row["branch_code"] for row in rows)))
    if kind == "managed" and manager_id:
        rows = store.read(MANAGER_GRID, {"manager_id": manager_id})
        grids = tuple(row["grid_code"] for row in rows if row["grid_code"])
        return DataScope(manager_ids=(manager_id,), grid_codes=grids)
    return NOBODY


def customers_in_scope(store: GraphStore, scope: DataScope, customer_ids: Iterable[str]) -> set[str]:
    """Return those of ``customer_ids`` that exist and lie in the scope."""
    customer_ids = list(dict.fromkeys(customer_ids))
    if not customer_ids or scope.sees_nobody:
        return set()
    rows = store.read(CUSTOMERS_IN_SCOPE, {"customer_ids": customer_ids, **scope.params})
    return {row["customer_id"] for row in rows}


def require_in_scope(store: GraphStore, scope: DataScope, customer_id: str) -> None:
    """Raise OutOfScope unless the customer lies in the scope (an unknown customer passes)."""
    if customer_id not in customers_in_scope(store, scope, [customer_id]) and customer_exists(
        store, customer_id
    ):
        raise OutOfScope(customer_id)


def customer_exists(store: GraphStore, customer_id: str) -> bool:
    rows = store.read(CUSTOMER_EXISTS, {"customer_id": customer_id})
    return bool(rows and rows[0]["found"])
