"""Publications keep the tie-break order their list was ranked by

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 10:40:00

A published round stays ranked by the order it was published with (ranking.service.ranking_order); a changed
order reaches it only through a correction. Publications made before this revision were ranked by their
contest's order at the time, which is its order now (until this revision, a change re-ranked every round).
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('result_publications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tie_break', sa.String(length=60), nullable=True))
    op.execute("UPDATE result_publications SET tie_break = "
               "(SELECT contests.tie_break FROM contests WHERE contests.id = result_publications.contest_id)")


def downgrade():
    with op.batch_alter_table('result_publications', schema=None) as batch_op:
        batch_op.drop_column('tie_break')
