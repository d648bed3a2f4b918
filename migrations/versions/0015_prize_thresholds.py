"""Prize tiers may require a minimum score; publications keep the prize rules they were given by

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 11:50:00

Each tier of a round (Nhất, Nhì, Ba, Khuyến khích) may require a minimum score, a whole percentage of the
maximum (NULL: no threshold, as every round before this revision). A publication stores the counts and
thresholds it was decided by, so that the tiers it leaves unawarded are told as published; publications
made before this revision have none (NULL) and tell nothing more than their winners.

The columns are added and dropped in place (SQLite 3.35+ drops a column with ALTER TABLE): recreating
``rounds`` on SQLite would cascade the deletion of its blueprints, attempts and standings.
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

TIERS = ('first', 'second', 'third', 'consolation')


def upgrade():
    with op.batch_alter_table('rounds', schema=None, recreate='never') as batch_op:
        for tier in TIERS:
            batch_op.add_column(sa.Column(f'prize_min_{tier}', sa.Integer(), nullable=True))
    with op.batch_alter_table('result_publications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prize_rules', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('result_publications', schema=None) as batch_op:
        batch_op.drop_column('prize_rules')
    with op.batch_alter_table('rounds', schema=None, recreate='never') as batch_op:
        for tier in reversed(TIERS):
            batch_op.drop_column(f'prize_min_{tier}')
