"""One article page type, built the way Wagtail's own demo builds its pages."""

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(Page):
    intro = models.TextField(blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock()),
            ("paragraph", blocks.RichTextBlock()),
            ("items", blocks.ListBlock(blocks.CharBlock())),
        ],
        blank=True,
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related"] = (
            ArticlePage.objects.live()
            .filter(tags__in=self.tags.all())
            .exclude(pk=self.pk)
            .distinct()
            .order_by("title")[:8]
        )
        context["menu"] = self.get_site().root_page.get_children().live().in_menu()
        return context
