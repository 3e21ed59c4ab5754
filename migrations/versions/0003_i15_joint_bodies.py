"""joint bodies as records: names per language, agreements, members, cadence; meetings refer to
their body by key, are marked held once, and keep a snapshot of the agenda as presented

The free-text bodies become records: one per non-archived joint working group area (named as the
area, linked to its agreement) and one per other body name a meeting carries (linked to the
agreements of the items its meetings created or its decisions name). Every meeting and decision
stays attached.

Revision ID: 0003_i15
Revises: 0002
Create Date: 2026-11-30 12:50:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

import models.base

revision: str = '0003_i15'
down_revision: Union[str, None] = '0004_i14'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

S = sqlmodel.sql.sqltypes.AutoString


def _create_tables() -> None:
    op.create_table(
        'jointbody',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name_en', S(length=300), nullable=False),
        sa.Column('name_ms', S(length=300), nullable=True),
        sa.Column('name_zh', S(length=300), nullable=True),
        sa.Column('cadence_months', sa.Integer(), nullable=True),
        sa.Column('archived', sa.Boolean(), nullable=False),
        sa.Column('is_sample', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name_en'),
    )
    op.create_table(
        'bodyagreement',
        sa.Column('body_id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
        sa.ForeignKeyConstraint(['body_id'], ['jointbody.id'], ),
        sa.PrimaryKeyConstraint('body_id', 'agreement_id'),
    )
    op.create_table(
        'bodymember',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('body_id', sa.Integer(), nullable=False),
        sa.Column('side', S(length=20), nullable=False),
        sa.Column('name', S(length=200), nullable=False),
        sa.Column('organisation', S(length=300), nullable=True),
        sa.Column('role', S(length=200), nullable=True),
        sa.ForeignKeyConstraint(['body_id'], ['jointbody.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_bodymember_body_id', 'bodymember', ['body_id'], unique=False)
    op.create_table(
        'meetingsnapshot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('taken_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('taken_by_id', sa.Integer(), nullable=True),
        sa.Column('reason', S(length=20), nullable=False),
        sa.Column('figures', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
        sa.ForeignKeyConstraint(['taken_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('meeting_id'),
    )
    op.create_table(
        'snapshotitem',
        sa.Column('snapshot_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('on_agenda', sa.Boolean(), nullable=False),
        sa.Column('title', S(length=500), nullable=False),
        sa.Column('status', S(length=20), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('rag', S(length=10), nullable=True),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('owner_name', S(length=200), nullable=True),
        sa.Column('last_note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['item_id'], ['actionitem.id'], ),
        sa.ForeignKeyConstraint(['snapshot_id'], ['meetingsnapshot.id'], ),
        sa.PrimaryKeyConstraint('snapshot_id', 'item_id'),
    )


def _bodies_from_text(conn) -> None:  # noqa: ANN001
    """One body per working-group area and per other meeting body name; meetings point at them."""
    names: dict[str, int] = {}
    body = sa.table('jointbody', sa.column('id'), sa.column('name_en'), sa.column('name_ms'), sa.column('name_zh'),
                    sa.column('archived'), sa.column('is_sample'))
    link = sa.table('bodyagreement', sa.column('body_id'), sa.column('agreement_id'))

    def add(name: str, ms=None, zh=None, sample=False) -> int:  # noqa: ANN001
        if name not in names:
            conn.execute(body.insert().values(name_en=name, name_ms=ms, name_zh=zh, archived=False, is_sample=sample))
            names[name] = conn.execute(sa.text("SELECT id FROM jointbody WHERE name_en = :n"), {"n": name}).scalar_one()
        return names[name]

    def attach(body_id: int, agreement_ids) -> None:  # noqa: ANN001
        have = {r[0] for r in conn.execute(sa.text("SELECT agreement_id FROM bodyagreement WHERE body_id = :b"),
                                           {"b": body_id})}
        for agreement_id in sorted(set(agreement_ids) - have):
            conn.execute(link.insert().values(body_id=body_id, agreement_id=agreement_id))

    for name, ms, zh, agreement_id in conn.execute(sa.text(
            "SELECT title_en, title_ms, title_zh, agreement_id FROM commitmentarea "
            "WHERE category = 'joint_working_group' AND NOT archived ORDER BY id")).all():
        attach(add(name.strip(), ms, zh), [agreement_id])
    for (name,) in conn.execute(sa.text("SELECT DISTINCT body FROM meeting ORDER BY body")).all():
        sample = bool(conn.execute(sa.text("SELECT COUNT(*) FROM meeting WHERE body = :n AND NOT is_sample"),
                                   {"n": name}).scalar_one() == 0)
        body_id = add(name.strip(), sample=sample)
        attach(body_id, [r[0] for r in conn.execute(sa.text(
            "SELECT DISTINCT a.agreement_id FROM commitmentarea a JOIN actionitem i ON i.area_id = a.id "
            "JOIN meeting m ON m.id = i.meeting_id WHERE m.body = :n UNION "
            "SELECT DISTINCT a.agreement_id FROM commitmentarea a JOIN actionitem i ON i.area_id = a.id "
            "JOIN decision d ON d.item_id = i.id JOIN meeting m ON m.id = d.meeting_id WHERE m.body = :n"),
            {"n": name})])
        conn.execute(sa.text("UPDATE meeting SET body_id = :b WHERE body = :n"), {"b": body_id, "n": name})


def upgrade() -> None:
    _create_tables()
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('held_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('held_by_id', sa.Integer(), nullable=True))
    _bodies_from_text(op.get_bind())
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.alter_column('body_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key('fk_meeting_body_id_jointbody', 'jointbody', ['body_id'], ['id'])
        batch_op.create_foreign_key('fk_meeting_held_by_id_user', 'user', ['held_by_id'], ['id'])
        batch_op.create_index('ix_meeting_body_id', ['body_id'], unique=False)
        batch_op.drop_index('ix_meeting_body')
        batch_op.drop_column('body')


def downgrade() -> None:
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body', S(length=300), nullable=True))
    op.execute("UPDATE meeting SET body = (SELECT name_en FROM jointbody WHERE jointbody.id = meeting.body_id)")
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.alter_column('body', existing_type=S(length=300), nullable=False)
        batch_op.create_index('ix_meeting_body', ['body'], unique=False)
        batch_op.drop_index('ix_meeting_body_id')
        batch_op.drop_constraint('fk_meeting_held_by_id_user', type_='foreignkey')
        batch_op.drop_constraint('fk_meeting_body_id_jointbody', type_='foreignkey')
        batch_op.drop_column('held_by_id')
        batch_op.drop_column('held_at')
        batch_op.drop_column('body_id')
    op.drop_table('snapshotitem')
    op.drop_table('meetingsnapshot')
    op.drop_index('ix_bodymember_body_id', table_name='bodymember')
    op.drop_table('bodymember')
    op.drop_table('bodyagreement')
    op.drop_table('jointbody')
