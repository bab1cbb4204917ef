from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "search"

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("search/autocomplete/", views.AutocompleteView.as_view(), name="autocomplete"),
    # Non-greedy `a`: the view tries every "-vs-" split anyway, for slugs containing it.
    re_path(
        r"^compare/(?P<a>[-a-zA-Z0-9_]+?)-vs-(?P<b>[-a-zA-Z0-9_]+)/$",
        views.CompareView.as_view(),
        name="compare",
    ),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "search:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("feeds/articles/", feeds.LatestArticlesFeed(), name="article-feed"),
    path("feeds/articles/atom/", feeds.LatestArticlesAtomFeed(), name="article-feed-atom"),
    path("feeds/drugs/<slug:slug>/reviews/", feeds.DrugReviewsFeed(), name="drug-review-feed"),
    path(
        "feeds/drugs/<slug:slug>/reviews/atom/",
        feeds.DrugReviewsAtomFeed(),
        name="drug-review-feed-atom",
    ),
]
