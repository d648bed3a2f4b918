"""Background jobs: one row per job (status, progress, result file, error), seen by every app server

Revision ID: 0020
Revises: 0018
Create Date: 2026-11-29 13:40:00

Long work (large exports, a full rankings recompute) runs outside the request that asks for it, on RQ when
Redis is configured or in a thread of the app process otherwise. Its record lives here, not in Redis or a
process, so that whichever app server a browser reaches can show its progress and hand over its file.
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('result_path', sa.String(length=500), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=True),
        sa.Column('mimetype', sa.String(length=120), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_jobs_owner_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    )
    op.create_index('ix_jobs_owner', 'jobs', ['owner_id', 'created_at'], unique=False)
    op.create_index('ix_jobs_status', 'jobs', ['status'], unique=False)


def downgrade():
    op.drop_index('ix_jobs_status', table_name='jobs')
    op.drop_index('ix_jobs_owner', table_name='jobs')
    op.drop_table('jobs')
