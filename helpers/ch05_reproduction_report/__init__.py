"""The reproduction report: every published number beside the book's (:mod:`.report`).

The chapters save their numbers with :func:`helpers.results.save_results`; the quotations are in
:mod:`helpers.published`.
"""
