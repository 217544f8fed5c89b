"""Hypothesis strategies and the expectation shared by the eager and live scope properties."""

from hypothesis import strategies as st

from celery_uncovered.tricks.scopes import known_locales

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
kwarg_names = st.text(st.characters(codec="ascii", categories=["Ll", "Lu"]), min_size=1, max_size=8)
call_kwargs = st.dictionaries(
    kwarg_names.filter(lambda k: k != "locale_id"), json_values, max_size=4
)
call_args = st.lists(json_values, max_size=4)
active_languages = st.sampled_from([*known_locales(), "de-at", "pt-br"])
explicit_locale = st.none() | st.sampled_from(known_locales())


def expected_echo(args, kwargs, explicit, active_locale) -> dict:
    """What scope_echo must return: args untouched, kwargs untouched plus the right locale."""
    locale = explicit or active_locale
    return {"args": args, "kwargs": {**kwargs, "locale_id": locale}, "active": locale}
