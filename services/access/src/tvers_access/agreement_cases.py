"""Use cases of patrons' meirope agreements: sign, suspend, restore, withdraw, look up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tvers_access.access_cases import AccessCases
from tvers_access.domain import agreement
from tvers_access.domain.agreement import Agreement
from tvers_access.domain.streams import (
    agreement_stream,
)
from tvers_contracts import DomainEvent
from tvers_contracts.events.access import (
    SuspensionReason,
)
from tvers_runtime.application import CommandContext, Outcome
from tvers_runtime.domain import RuleViolated


class AgreementCases(AccessCases):
    """Patrons' agreements, found by card number."""

    async def sign_agreement(
        self,
        context: CommandContext,
        *,
        card_number: str,
        guardian_consent: bool,
        birth_date: date | None = None,
        guardian_card_number: str | None = None,
    ) -> Outcome:
        """A patron signs the meirope agreement; a child's names the guardian by card."""
        patron_ref, _ = await self.agreement_of_card_now(context, card_number)
        guardian_ref = None
        if guardian_card_number is not None:
            guardian_ref, guardian = await self.agreement_of_card_now(context, guardian_card_number)
            if guardian_consent and not guardian.signed:
                raise RuleViolated("the guardian has no meirope agreement of their own")
        today = self._clock().astimezone(self._zone).date()
        return await self.execute(
            context,
            agreement_stream(patron_ref),
            agreement.NO_AGREEMENT,
            agreement.evolve,
            lambda state: agreement.sign(
                state,
                patron_ref=patron_ref,
                guardian_consent=guardian_consent,
                birth_date=birth_date,
                guardian_ref=guardian_ref,
                today=today,
            ),
        )

    async def suspend_agreement(
        self, context: CommandContext, *, card_number: str, reason: SuspensionReason
    ) -> Outcome:
        """Staff suspend a patron's meirope access."""
        patron_ref, _ = await self.agreement_of_card_now(context, card_number)
        return await self._change_agreement(
            context,
            patron_ref,
            lambda state: agreement.suspend(state, patron_ref=patron_ref, reason=reason),
        )

    async def restore_agreement(self, context: CommandContext, *, card_number: str) -> Outcome:
        """Staff lift a suspension."""
        patron_ref, _ = await self.agreement_of_card_now(context, card_number)
        return await self._change_agreement(
            context, patron_ref, lambda state: agreement.restore(state, patron_ref=patron_ref)
        )

    async def withdraw_agreement(self, context: CommandContext, *, card_number: str) -> Outcome:
        """The agreement ends."""
        patron_ref, _ = await self.agreement_of_card_now(context, card_number)
        return await self._change_agreement(
            context, patron_ref, lambda state: agreement.withdraw(state, patron_ref=patron_ref)
        )

    async def _change_agreement(
        self,
        context: CommandContext,
        patron_ref: str,
        decide: Callable[[Agreement], list[DomainEvent]],
    ) -> Outcome:
        return await self.execute(
            context, agreement_stream(patron_ref), agreement.NO_AGREEMENT, agreement.evolve, decide
        )

    async def agreement_of_card(self, card_number: str) -> Agreement:
        """The agreement of the patron holding a card (under the previous key's reference if
        it has not been carried over yet: a look-up changes nothing)."""
        found = await self.agreement_of(self._patrons.of(card_number))
        previous_ref = self._patrons.previous_of(card_number)
        if found.standing is agreement.Standing.NONE and previous_ref is not None:
            return await self.agreement_of(previous_ref)
        return found
