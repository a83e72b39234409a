"""HTTP routes of the category list: desks read it; staff add, rename and retire categories."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field, model_validator

from tvers_contracts.events.desk import MOST_NAME_CHARACTERS
from tvers_contracts.values import Slug
from tvers_desk.domain.categories import Category
from tvers_desk.entrypoints.dependencies import Desk
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow

router = APIRouter(tags=["categories"], route_class=JsonBodyRoute)
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]
Name = Annotated[str, Field(min_length=1, max_length=MOST_NAME_CHARACTERS, pattern=r"\S")]


class CategoryIn(Strict):
    category_id: Slug = Field(description="Stable for good: reports count by it.")
    name: Name = Field(description="Nynorsk.")
    name_en: Name = Field(description="English.")


class CategoryChange(Strict):
    """New names (one or both), or ``"retired": true`` to stop offering the category."""

    name: Name | None = None
    name_en: Name | None = None
    retired: Literal[True] | None = None

    @model_validator(mode="after")
    def _one_change(self) -> CategoryChange:
        renames = self.name is not None or self.name_en is not None
        if renames == (self.retired is not None):
            raise ValueError("give new names, or retired: true, not both and not neither")
        return self


class CategoryOut(BaseModel):
    category_id: str
    name: str
    name_en: str
    retired: bool


def category_out(category: Category) -> CategoryOut:
    return CategoryOut(
        category_id=category.category_id,
        name=category.name,
        name_en=category.name_en,
        retired=category.retired,
    )


@router.get("/categories")
async def list_categories(
    who: Annotated[Principal, Depends(allow(Role.DESK, Role.STAFF))], desk: Desk
) -> list[CategoryOut]:
    """Every category, in the order they were added; retired ones say so (help can no longer
    be recorded with them, but what was recorded still counts by their id)."""
    known = await desk.categories(who.tenant)
    return [category_out(category) for category in known.categories.values()]


@router.post("/categories", status_code=status.HTTP_201_CREATED)
async def add_category(
    body: CategoryIn,
    request: Request,
    who: Staff,
    desk: Desk,
    idempotency_key: IdempotencyKey = None,
) -> CategoryOut:
    """Add a category under a new id (never one the list had before, retired ones included)."""
    context = await command_context(request, who, idempotency_key)
    await desk.add_category(context, body.category_id, body.name, body.name_en)
    return category_out((await desk.categories(who.tenant)).get(body.category_id))


@router.patch("/categories/{category_id}")
async def change_category(
    category_id: Slug,
    body: CategoryChange,
    request: Request,
    who: Staff,
    desk: Desk,
    idempotency_key: IdempotencyKey = None,
) -> CategoryOut:
    """Rename a category (its id, and so its counts, stay) or retire it."""
    context = await command_context(request, who, idempotency_key)
    if body.retired:
        await desk.retire_category(context, category_id)
    else:
        await desk.rename_category(context, category_id, body.name, body.name_en)
    return category_out((await desk.categories(who.tenant)).get(category_id))
