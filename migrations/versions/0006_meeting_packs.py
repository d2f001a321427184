"""meeting packs

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 09:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting_packs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('as_at', sa.Date(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], name=op.f('fk_meeting_packs_board_id_boards')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['people.id'], name=op.f('fk_meeting_packs_issued_by_id_people')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_packs_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_packs')),
    sa.UniqueConstraint('meeting_id', 'version', name=op.f('uq_meeting_packs_meeting_id_version'))
    )
    with op.batch_alter_table('meeting_packs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_packs_board_id'), ['board_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_packs_meeting_id'), ['meeting_id'], unique=False)


def downgrade():
    with op.batch_alter_table('meeting_packs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_packs_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_packs_board_id'))

    op.drop_table('meeting_packs')
