"""source documents per agreement: owner agreement, translation link, original file

Revision ID: 0003_i16
Revises: 0002
Create Date: 2026-11-30 12:50:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0003_i16'
down_revision: Union[str, None] = '0003_i17'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # New nullable columns (and one with a default), so the seeded statement keeps its text;
    # it is marked 'seed' as its kind since it came from data/, not from an upload.
    with op.batch_alter_table('sourcedocument', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('translation_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('original', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('original_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
        batch_op.add_column(sa.Column('original_kind', sqlmodel.sql.sqltypes.AutoString(length=10),
                                      nullable=False, server_default='seed'))
        batch_op.add_column(sa.Column('added_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_sourcedocument_agreement_id', ['agreement_id'], unique=False)
        batch_op.create_foreign_key('fk_sourcedocument_agreement', 'agreement', ['agreement_id'], ['id'])
        batch_op.create_foreign_key('fk_sourcedocument_translation_of', 'sourcedocument',
                                    ['translation_of_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('sourcedocument', schema=None) as batch_op:
        batch_op.drop_constraint('fk_sourcedocument_translation_of', type_='foreignkey')
        batch_op.drop_constraint('fk_sourcedocument_agreement', type_='foreignkey')
        batch_op.drop_index('ix_sourcedocument_agreement_id')
        for name in ('added_at', 'original_kind', 'original_name', 'original', 'translation_of_id', 'agreement_id'):
            batch_op.drop_column(name)
