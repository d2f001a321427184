"""calendar feed tokens

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 09:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('board_id', sa.Integer(), nullable=True),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(kind = 'person' AND person_id IS NOT NULL AND board_id IS NULL) OR (kind = 'board' AND board_id IS NOT NULL AND person_id IS NULL)", name=op.f('ck_feed_tokens_subject')),
    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], name=op.f('fk_feed_tokens_board_id_boards')),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_feed_tokens_created_by_id_people')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_feed_tokens_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tokens')),
    sa.UniqueConstraint('digest', name=op.f('uq_feed_tokens_digest'))
    )
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_tokens_board_id'), ['board_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feed_tokens_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_tokens_person_id'))
        batch_op.drop_index(batch_op.f('ix_feed_tokens_board_id'))

    op.drop_table('feed_tokens')
