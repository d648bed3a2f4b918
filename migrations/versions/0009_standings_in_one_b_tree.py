"""Standings in one B-tree per round: round_results keyed by unit; the ranking's and unit figures' indexes

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-21 09:00:00

round_results is a cache (ranking/models.py): it is dropped and created again with its new key, and every
round's stored standings are marked as never computed, so that the first page that shows them computes
them again (a closed round keeps its frozen actual value).
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('round_results')
    op.create_table('round_results',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('group_code', sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.Column('unit_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('rank', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_results_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'group_code', 'unit_id', 'rank', name=op.f('pk_round_results')),
    sqlite_with_rowid=False
    )
    op.create_index('ix_attempts_ranking', 'attempts',
                    ['round_id', 'group', sa.text('score DESC'), 'duration_seconds', 'finished_at', 'prediction',
                     'unit_id', 'user_id'],
                    unique=False, sqlite_where=sa.text('counts = 1'), postgresql_where=sa.text('counts'))
    op.create_index('ix_attempts_finished', 'attempts', ['round_id', 'group', 'unit_id'], unique=False,
                    sqlite_where=sa.text("state = 'finished' AND disqualified_reason IS NULL"),
                    postgresql_where=sa.text("state = 'finished' AND disqualified_reason IS NULL"))
    op.execute("UPDATE rounds SET results_refreshed_at = NULL")


def downgrade():
    op.drop_index('ix_attempts_finished', table_name='attempts')
    op.drop_index('ix_attempts_ranking', table_name='attempts')
    op.drop_table('round_results')
    op.create_table('round_results',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('group', sa.String(length=10), nullable=False),
    sa.Column('rank', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_results_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'group', 'rank', name=op.f('pk_round_results')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('round_results', schema=None) as batch_op:
        batch_op.create_index('ix_round_results_unit', ['round_id', 'group', 'unit_id', 'rank'], unique=False)
        batch_op.create_index('ix_round_results_user', ['round_id', 'user_id'], unique=False)
    op.execute("UPDATE rounds SET results_refreshed_at = NULL")
