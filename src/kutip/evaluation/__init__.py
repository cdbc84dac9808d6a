"""Measuring Kutip against hand-made gold statements (see docs/evaluation.md).

:mod:`kutip.evaluation.statements` scores (pure: dicts in, figures out);
:mod:`kutip.evaluation.goldfiles` reads gold, prediction and article folders;
:mod:`kutip.evaluation.commands` is the glue behind ``kutip evaluate --statements``.
"""
from kutip.evaluation.statements import ArticleScore, Miss, Report, score_article, score_corpus

__all__ = ["ArticleScore", "Miss", "Report", "score_article", "score_corpus"]
