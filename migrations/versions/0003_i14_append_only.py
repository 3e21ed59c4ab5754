"""progress history and audit trail append-only: triggers refuse UPDATE and DELETE

Revision ID: 0003_i14
Revises: 0002
Create Date: 2026-11-30 12:50:00
"""
from typing import Sequence, Union

from alembic import op

from core import append_only

revision: str = '0003_i14'
down_revision: Union[str, None] = '0003_i12'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # No row changes: the triggers only refuse future updates and deletes (core/append_only.py).
    append_only.create(op.get_bind())


def downgrade() -> None:
    append_only.drop(op.get_bind())
