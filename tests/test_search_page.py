"""The search page on a scratch graph: the notice shown when a result list is cut."""

from __future__ import annotations


def test_search_notice_when_cut_at_fifty(scratch_web_client, scratch_store):
    scratch_store.write(
        "UNWIND range(1, 60) AS n "
        "CREATE (:Customer {customer_id: 'W' + toString(n), customer_type: 'retail', name: '王' + toString(n)})"
    )

    page = scratch_web_client.get("/?q=王").get_data(as_text=True)

    assert "匹配的客户超过 50 位，仅显示前 50 位" in page
    assert page.count('href="/customers/W') == 50
