"""The banks each round draws from (round_banks); existing rounds keep drawing what they drew

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 10:40:00

Until now a round drew by topic across every bank. Each existing round is given the banks that hold questions
(of any status: a retired question that a re-import brings back was drawable before) of its blueprint's
topics, so that it draws exactly what it drew; from now on importing another bank changes nothing for it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round_banks',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_round_banks_bank_id_banks'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_banks_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'bank_id', name=op.f('pk_round_banks'))
    )
    with op.batch_alter_table('round_banks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_banks_bank_id'), ['bank_id'], unique=False)
    op.execute(
        "INSERT INTO round_banks (round_id, bank_id)"
        " SELECT DISTINCT blueprint_items.round_id, questions.bank_id"
        " FROM blueprint_items JOIN questions ON questions.topic_id = blueprint_items.topic_id"
    )


def downgrade():
    with op.batch_alter_table('round_banks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_banks_bank_id'))
    op.drop_table('round_banks')
