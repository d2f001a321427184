"""an index for the review-wide matrix

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 09:40:00

The matrix groups a review's actions by (recommendation, board) and works out each one's RAG
colour: an index holding every column the rule reads lets SQLite answer from the index alone,
already in group order.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

COLUMNS = [
    'recommendation_id',
    'board_id',
    'status',
    'progress',
    'due_on',
    'owner_rag',
    'progress_reported_at',
]


def upgrade():
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index('ix_actions_recommendation_board', COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index('ix_actions_recommendation_board')
