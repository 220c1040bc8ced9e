"""The lesson body: the shared blocks plus those digital-skills training needs."""

from django.utils.translation import gettext_lazy as _

from cms.blocks import (
    BaseStreamBlock,
    KnowledgeCheckBlock,
    StepByStepBlock,
    TryItBlock,
    VideoBlock,
)


class LessonStreamBlock(BaseStreamBlock):
    """Everything a lesson may contain."""

    video = VideoBlock()
    step_by_step = StepByStepBlock()
    try_it = TryItBlock()
    knowledge_check = KnowledgeCheckBlock()

    class Meta:
        block_counts = {}
        help_text = _("Keep lessons short: one task or idea, five to ten minutes.")
