"""Role × action: what each role may do, enforced in echo_core."""

from __future__ import annotations

import pytest

from echo_core.errors import InvalidInput, PermissionDenied
from echo_core.permissions import Action, Actor, Role, require

ALLOWED = {
    Role.BROKER: {Action.READ, Action.REVIEW_DRAFTS, Action.EDIT_DEALS, Action.VIEW_ANALYTICS, Action.EXPORT},
    Role.LEAD: set(Action),
    Role.ANALYST: {Action.READ, Action.VIEW_ANALYTICS, Action.VIEW_ALL_BROKERS, Action.EXPORT},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_each_role_may_do_exactly_its_actions(role: Role, action: Action) -> None:
    actor = Actor("someone@tandem.space", role)
    if action in ALLOWED[role]:
        require(actor, action)
    else:
        with pytest.raises(PermissionDenied, match=role.value):
            require(actor, action)


@pytest.mark.parametrize("email", ["", "not-an-email", "a@b", "<script>@x.com", "x" * 300 + "@a.com"])
def test_an_actor_must_be_named_by_a_real_email(email: str) -> None:
    with pytest.raises(InvalidInput):
        Actor(email)
