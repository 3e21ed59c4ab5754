"""agreement facts in Malay and Chinese: signing-date note, signatories, witnesses, package name

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:50:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# (column, length): the English text stays in the existing column of the same name.
AGREEMENT_COLUMNS = [("signed_date_note", 200), ("signatories", 1000), ("witnesses", 1000)]
LANGUAGES = ("ms", "zh")


def upgrade() -> None:
    # New nullable columns only; `manage.py seed` fills them from data/facts.json where empty.
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        for name, length in AGREEMENT_COLUMNS:
            for lang in LANGUAGES:
                batch_op.add_column(sa.Column(f'{name}_{lang}', sqlmodel.sql.sqltypes.AutoString(length=length),
                                              nullable=True))
    with op.batch_alter_table('agreementpackage', schema=None) as batch_op:
        for lang in LANGUAGES:
            batch_op.add_column(sa.Column(f'name_{lang}', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('agreementpackage', schema=None) as batch_op:
        for lang in reversed(LANGUAGES):
            batch_op.drop_column(f'name_{lang}')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        for name, _length in reversed(AGREEMENT_COLUMNS):
            for lang in reversed(LANGUAGES):
                batch_op.drop_column(f'{name}_{lang}')
