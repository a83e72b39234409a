"""The shell of a service's pages (decisions 0027 and 0035): server-rendered HTML in nynorsk with
an English switch, plain forms that POST and redirect, no JavaScript and nothing loaded from
elsewhere, accessible to WCAG 2.1 AA.

- :mod:`.site`: one service's pages (templates, catalogs, stylesheet, headers, language, the
  session cookie); :mod:`.routing` and :mod:`.failures`: every failure of a route answered with a
  page in words;
- :mod:`.forms`: forms read safely, forged ones refused; :mod:`.signed_in`: the session of a
  request, as route dependencies;
- :mod:`.refusals`: the domain's refusals in a service's own words;
- :mod:`.sessions` and :mod:`.session_store`: signing in with a token pasted once.
"""
