"""StreamField blocks shared by every page body. Each block has a template and admin help."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

_YOUTUBE = re.compile(r"(?:youtube\.com/(?:watch\?v=|embed/)|youtu\.be/)([\w-]{6,})")
_VIMEO = re.compile(r"vimeo\.com/(?:video/)?(\d+)")


def video_embed_url(url: str) -> str | None:
    """The privacy-enhanced player URL of a YouTube or Vimeo video, or None for other hosts."""
    if match := _YOUTUBE.search(url):
        return f"https://www.youtube-nocookie.com/embed/{match.group(1)}"
    if match := _VIMEO.search(url):
        return f"https://player.vimeo.com/video/{match.group(1)}?dnt=1"
    return None


class HeadingBlock(blocks.StructBlock):
    """A section heading inside a page body (level 2 or 3, under the page's own h1)."""

    text = blocks.CharBlock(label=_("Heading"), max_length=150)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section")), ("h3", _("Sub-section"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "cms/blocks/heading_block.html"
        label = _("Heading")
        description = _("A heading that starts a new section of the lesson.")


class AccessibleImageBlock(blocks.StructBlock):
    """An image with required alternative text and an optional caption."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the image shows, for people using a screen reader."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "cms/blocks/image_block.html"
        label = _("Image")
        description = _("An image with alternative text for screen readers.")


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo video with a transcript, so the content works without sound."""

    title = blocks.CharBlock(label=_("Title"), max_length=150)
    url = blocks.URLBlock(label=_("Video address"), help_text=_("A YouTube or Vimeo address."))
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=["bold", "italic", "ul", "ol", "link"],
        help_text=_("Everything said and shown in the video, for people who cannot watch it."),
    )

    class Meta:
        icon = "media"
        template = "cms/blocks/video_block.html"
        label = _("Video")
        description = _("An embedded video with its transcript.")

    def clean(self, value):
        value = super().clean(value)
        if video_embed_url(value["url"]) is None:
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Use a YouTube or Vimeo video address."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = video_embed_url(value["url"])
        return context


class DocumentBlock(blocks.StructBlock):
    """A downloadable document, such as a quick-reference guide."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), max_length=150)
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/document_block.html"
        label = _("Download")
        description = _("A document staff can download, like a printable guide.")


class StepBlock(blocks.StructBlock):
    """One numbered step, with an optional screenshot."""

    text = blocks.RichTextBlock(label=_("What to do"), features=["bold", "italic", "link", "code"])
    screenshot = ImageChooserBlock(label=_("Screenshot"), required=False)
    screenshot_alt = blocks.CharBlock(
        label=_("Screenshot alternative text"), required=False, max_length=250
    )

    class Meta:
        icon = "list-ol"
        label = _("Step")

    def clean(self, value):
        value = super().clean(value)
        if value.get("screenshot") and not value.get("screenshot_alt"):
            raise StructBlockValidationError(
                block_errors={
                    "screenshot_alt": ValidationError(
                        _("Describe the screenshot for people who cannot see it.")
                    )
                }
            )
        return value


class StepByStepBlock(blocks.StructBlock):
    """Numbered instructions for a task in a digital service, with screenshots."""

    title = blocks.CharBlock(label=_("Title"), max_length=150)
    steps = blocks.ListBlock(StepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "cms/blocks/step_by_step_block.html"
        label = _("Step by step")
        description = _("Numbered instructions, each with an optional screenshot.")


class CalloutBlock(blocks.StructBlock):
    """A tip, warning or important note that stands out from the text."""

    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("important", _("Important"))],
        default="tip",
        label=_("Kind"),
    )
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        template = "cms/blocks/callout_block.html"
        label = _("Tip or warning")
        description = _("A highlighted tip, warning or important note.")


class TryItBlock(blocks.StructBlock):
    """A link to a safe training copy of a service, to practise without touching real data."""

    title = blocks.CharBlock(label=_("Title"), max_length=150)
    description = blocks.TextBlock(label=_("What to try"), max_length=500)
    url = blocks.URLBlock(label=_("Training environment address"))
    button_label = blocks.CharBlock(
        label=_("Button text"), max_length=60, default=_("Open the training environment")
    )

    class Meta:
        icon = "link-external"
        template = "cms/blocks/try_it_block.html"
        label = _("Try it")
        description = _("A link to a practice environment where nothing is real.")


class KnowledgeCheckChoiceBlock(blocks.StructBlock):
    """One answer option of a knowledge check."""

    text = blocks.CharBlock(label=_("Answer"), max_length=250)
    is_correct = blocks.BooleanBlock(label=_("Correct answer"), required=False)
    feedback = blocks.CharBlock(label=_("Feedback"), required=False, max_length=500)

    class Meta:
        icon = "radio-full"
        label = _("Answer")


class KnowledgeCheckBlock(blocks.StructBlock):
    """A single-choice question inside a lesson, graded on the server with feedback."""

    question = blocks.CharBlock(label=_("Question"), max_length=300)
    choices = blocks.ListBlock(KnowledgeCheckChoiceBlock(), label=_("Answers"), min_num=2)
    explanation = blocks.RichTextBlock(
        label=_("Explanation"), required=False, features=["bold", "italic", "link"]
    )

    class Meta:
        icon = "help"
        template = "cms/blocks/knowledge_check_block.html"
        label = _("Knowledge check")
        description = _("A quick single-choice question with feedback for each answer.")

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["is_correct"])
        if correct != 1:
            raise StructBlockValidationError(
                non_block_errors=forms.utils.ErrorList([_("Mark exactly one answer as correct.")])
            )
        return value


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every content body may use."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "ul", "ol", "document-link"],
        icon="pilcrow",
        template="cms/blocks/paragraph_block.html",
    )
    image = AccessibleImageBlock()
    callout = CalloutBlock()
    document = DocumentBlock()
