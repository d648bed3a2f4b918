"""Survey figures stored once per change of a round's finished attempts

Revision ID: 0014
Revises: 0012
Create Date: 2026-11-29 10:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'survey_figures',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.String(length=200), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_survey_figures_round_id_rounds'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', name=op.f('pk_survey_figures')),
    )


def downgrade():
    op.drop_table('survey_figures')
