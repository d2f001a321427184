"""The batch signer the reminder sweep uses makes the very tokens ``update_link_url`` makes."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from tracker.links.tokens import UpdateLinkSigner, read_update_link, update_link_url


def test_the_batch_signer_makes_the_same_links_as_signing_one_by_one(make_action, make_person):
    owner = make_person()
    actions = [make_action(owner=owner) for _ in range(3)]
    actions[1].link_version = 12345
    with time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=UTC), tick=False):
        signer = UpdateLinkSigner()
        for action in actions:
            batch = signer.url(action.id, owner.id, action.link_version)
            assert batch == update_link_url(action)
            link = read_update_link(batch.rsplit("/", 1)[1])
            assert (link.action_id, link.person_id, link.link_version) == (
                action.id,
                owner.id,
                action.link_version,
            )
