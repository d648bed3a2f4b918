"""Rankings, results and publications

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-21 06:21:12.082616

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('result_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('winners', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('publish', 'correction')", name=op.f('ck_result_publications_kind')),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_result_publications_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_result_publications_published_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_result_publications_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_result_publications'))
    )
    with op.batch_alter_table('result_publications', schema=None) as batch_op:
        batch_op.create_index('ix_result_publications_scope', ['contest_id', 'round_id', 'id'], unique=False)

    # A cache rewritten per round (ranking/models.py): only the round is a foreign key; clustered on SQLite.
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

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counts', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('disqualified_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('disqualified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_attempts_counting', ['round_id', 'group', 'unit_id', 'score', 'prediction',
                                                       'duration_seconds', 'finished_at', 'user_id', 'max_score'],
                              unique=False, sqlite_where=sa.text('counts = 1'), postgresql_where=sa.text('counts'))

    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tie_break', sa.String(length=60), nullable=False,
                                      server_default='score,prediction,duration,finished'))
        batch_op.add_column(sa.Column('overall_rule', sa.String(length=10), nullable=False, server_default='sum'))
        batch_op.add_column(sa.Column('prize_highest_only', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('collective_formula', sa.String(length=30), nullable=False,
                                      server_default='hai_duong_2024'))
        batch_op.add_column(sa.Column('collective_params', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('unit_prizes_first', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('unit_prizes_second', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('unit_prizes_third', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('unit_prizes_consolation', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_check_constraint('overall_rule', "overall_rule IN ('sum', 'best')")

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('results_refreshed_at', sa.DateTime(timezone=True), nullable=True))

    # Existing finished attempts: mark each person's counting attempt by the round's rule.
    op.execute(COUNTING_BACKFILL)


# The counting rule of DESIGN.md in SQL: best (highest score, then shorter, then earlier), first or last.
COUNTING_BACKFILL = """
UPDATE attempts SET counts = TRUE WHERE id IN (
  SELECT id FROM (
    SELECT a.id, ROW_NUMBER() OVER (
      PARTITION BY a.round_id, a.user_id
      ORDER BY CASE r.counting WHEN 'first' THEN a.number WHEN 'last' THEN -a.number ELSE 0 END,
               a.score DESC, a.duration_seconds, a.finished_at, a.number) AS k
    FROM attempts a JOIN rounds r ON r.id = a.round_id
    WHERE a.state = 'finished') AS ranked
  WHERE k = 1)
"""


def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('results_refreshed_at')
        batch_op.drop_column('closed_at')

    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.drop_constraint('overall_rule', type_='check')
        batch_op.drop_column('unit_prizes_consolation')
        batch_op.drop_column('unit_prizes_third')
        batch_op.drop_column('unit_prizes_second')
        batch_op.drop_column('unit_prizes_first')
        batch_op.drop_column('collective_params')
        batch_op.drop_column('collective_formula')
        batch_op.drop_column('prize_highest_only')
        batch_op.drop_column('overall_rule')
        batch_op.drop_column('tie_break')

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempts_counting')
        batch_op.drop_column('disqualified_at')
        batch_op.drop_column('disqualified_reason')
        batch_op.drop_column('counts')

    with op.batch_alter_table('round_results', schema=None) as batch_op:
        batch_op.drop_index('ix_round_results_user')
        batch_op.drop_index('ix_round_results_unit')

    op.drop_table('round_results')
    with op.batch_alter_table('result_publications', schema=None) as batch_op:
        batch_op.drop_index('ix_result_publications_scope')

    op.drop_table('result_publications')
