// rtnotify/smartrest/impl/record_parser.ipp: the Spirit X3 grammar of SmartREST records (CSV with Cumulocity's quoting) and parse_records.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_IMPL_RECORD_PARSER_IPP
#define RTNOTIFY_SMARTREST_IMPL_RECORD_PARSER_IPP

#include <rtnotify/smartrest/detail/record_parser.hpp>

#include <boost/spirit/home/x3.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <functional>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rtnotify::smartrest::detail {

namespace x3 = boost::spirit::x3;

struct builder_tag;

inline builder& get_builder(auto& ctx)
{
    return x3::get<builder_tag>(ctx).get();
}

inline auto const on_bare = [](auto& ctx) {
    auto const& r = x3::_attr(ctx);
    get_builder(ctx).bare(r.begin(), r.end());
};

inline auto const on_quoted = [](auto& ctx) {
    auto const& r = x3::_attr(ctx);
    get_builder(ctx).quoted(r.begin(), r.end());
};

inline auto const on_tail = [](auto& ctx) {
    auto const& r = x3::_attr(ctx);
    get_builder(ctx).tail(r.begin(), r.end());
};

inline auto const on_newline = [](auto& ctx) {
    get_builder(ctx).newline(x3::_attr(ctx).end());
};

inline auto const on_record = [](auto& ctx) {
    auto const& r = x3::_attr(ctx);
    get_builder(ctx).end_record(r.begin(), r.end());
};

// The names of these rules are what `expectation_failure::which()` reports;
// `parse_records` maps them onto error codes.
inline char const* const closing_quote_name = "closing quote";
inline char const* const after_quote_name = "',' or end of line after a closing quote";
inline char const* const after_bare_name = "',' or end of line in an unquoted field";

inline x3::rule<struct closing_quote_class> const closing_quote = closing_quote_name;
inline x3::rule<struct after_quote_class> const after_quote = after_quote_name;
inline x3::rule<struct after_bare_class> const after_bare = after_bare_name;

inline auto const closing_quote_def = x3::lit('"');
inline auto const after_quote_def =
    &(x3::lit(',') | x3::lit('\n') | x3::lit("\r\n") | (x3::lit('\r') >> x3::eoi) | x3::eoi);
inline auto const after_bare_def = &(x3::lit(',') | x3::lit('\n') | x3::eoi);

BOOST_SPIRIT_DEFINE(closing_quote, after_quote, after_bare)

/** Matches the bytes of an unquoted field: everything up to `,`, LF, or
    (strict mode) `"`. Same language as `*~char_(...)`, scanned through a
    table instead of one parser call per byte.
*/
template<bool Lenient>
struct bare_scan_parser : x3::parser<bare_scan_parser<Lenient>>
{
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;

    static constexpr auto stops = [] {
        std::array<bool, 256> t{};
        t[static_cast<unsigned char>(',')] = true;
        t[static_cast<unsigned char>('\n')] = true;
        t[static_cast<unsigned char>('"')] = !Lenient;
        return t;
    }();

    template<class Iterator, class Context, class RContext, class Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const&, RContext&, Attribute&) const
    {
#if defined(__SSE2__)
        // 16 bytes at a time while 16 remain: compare with each stop byte.
        auto const comma = _mm_set1_epi8(',');
        auto const lf = _mm_set1_epi8('\n');
        auto const quote = _mm_set1_epi8('"');
        while(last - first >= 16)
        {
            auto const block = _mm_loadu_si128(reinterpret_cast<__m128i const*>(&*first));
            auto hits = _mm_or_si128(_mm_cmpeq_epi8(block, comma), _mm_cmpeq_epi8(block, lf));
            if constexpr(!Lenient)
                hits = _mm_or_si128(hits, _mm_cmpeq_epi8(block, quote));
            if(auto const mask = static_cast<unsigned>(_mm_movemask_epi8(hits)))
            {
                first += std::countr_zero(mask);
                return true;
            }
            first += 16;
        }
#endif
        while(first != last && !stops[static_cast<unsigned char>(*first)])
            ++first;
        return true;
    }
};

/// The first byte in `[p, last)` equal to `a` or `b`, or `last`.
inline char const* find_either(char const* p, char const* last, char a, char b) noexcept
{
#if defined(__SSE2__)
    auto const va = _mm_set1_epi8(a);
    auto const vb = _mm_set1_epi8(b);
    for(; last - p >= 16; p += 16)
    {
        auto const block = _mm_loadu_si128(reinterpret_cast<__m128i const*>(p));
        auto const hits = _mm_or_si128(_mm_cmpeq_epi8(block, va), _mm_cmpeq_epi8(block, vb));
        if(auto const mask = static_cast<unsigned>(_mm_movemask_epi8(hits)))
            return p + std::countr_zero(mask);
    }
#endif
    while(p != last && *p != a && *p != b)
        ++p;
    return p;
}

/** Matches the content of a quoted field: everything up to the closing
    quote, taking `""` as content. Same language as
    `*(~char_('"') | lit("\"\""))`, scanned in one pass that also tells the
    builder how many LFs the content holds and whether it needs unescaping.
*/
struct quoted_scan_parser : x3::parser<quoted_scan_parser>
{
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;

    template<class Iterator, class Context, class RContext, class Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const& ctx, RContext&, Attribute&) const
    {
        auto& b = x3::get<builder_tag>(ctx).get();
        b.quoted_escaped = false;
        char const* p = first;
        for(;;)
        {
            p = find_either(p, last, '"', '\n');
            if(p == last)
                break;
            if(*p == '\n')
            {
                ++b.quoted_lf;
                ++p;
            }
            else if(p + 1 != last && p[1] == '"')
            {
                b.quoted_escaped = true;
                p += 2;
            }
            else
                break;
        }
        first = p;
        return true;
    }
};

inline constexpr bare_scan_parser<false> strict_bare_chars{};
inline constexpr bare_scan_parser<true> lenient_bare_chars{};
inline constexpr quoted_scan_parser quoted_chars{};

inline auto const quoted_content = x3::raw[quoted_chars];
// Spaces and tabs; a literal set, not x3::blank, which classifies through the C locale.
inline auto const blanks = *(x3::lit(' ') | x3::lit('\t'));

inline auto const eol = x3::raw[x3::lit("\r\n") | x3::lit('\n')][on_newline];
// The end of the last record: the end of the body, with an optional CR before it.
inline auto const eob = -x3::lit('\r') >> x3::eoi;
inline auto const blank_line = blanks >> -x3::lit('\r') >> (x3::raw[x3::lit('\n')][on_newline] | x3::eoi);

inline auto const strict_field =
    blanks >>
    (('"' > quoted_content[on_quoted] > closing_quote >> blanks > after_quote) |
     (x3::raw[strict_bare_chars][on_bare] > after_bare));

inline auto const lenient_field =
    blanks >>
    (('"' > quoted_content[on_quoted] > closing_quote >> x3::raw[lenient_bare_chars][on_tail]) |
     x3::raw[lenient_bare_chars][on_bare]);

// A body: blank lines and records of `field`s, each record ended by a newline or the end.
template<class Field>
auto body_of(Field const& field)
{
    return *(!x3::eoi >> (blank_line | (x3::raw[field % ','][on_record] >> (eol | eob)))) >> x3::eoi;
}

inline auto const strict_body = body_of(strict_field);
inline auto const lenient_body = body_of(lenient_field);

RTNOTIFY_DECL diagnostic parse_records(char const* first, char const* last, builder& b, bool lenient)
{
    auto fail = [&](error e, char const* where, std::size_t field) {
        return diagnostic{e, b.offset_of(where), b.line_of(where), field};
    };
    try
    {
        auto it = first;
        bool const ok = lenient
            ? x3::parse(it, last, x3::with<builder_tag>(std::ref(b))[lenient_body])
            : x3::parse(it, last, x3::with<builder_tag>(std::ref(b))[strict_body]);
        if(!ok) // every failure is an expectation; kept as a safety net
            return fail(error::text_after_closing_quote, it, b.field_index());
        return {};
    }
    catch(x3::expectation_failure<char const*> const& x)
    {
        // The action of the field that failed has already stored it.
        auto const field = b.field_index() - 1;
        auto const& which = x.which();
        if(which == after_quote_name)
            return fail(error::text_after_closing_quote, x.where(), field);
        if(which == after_bare_name)
            return fail(error::quote_in_unquoted_field, x.where(), field);
        return fail(error::unterminated_quote, b.quote_open, field);
    }
    catch(limit_hit const& h)
    {
        bool const whole_record = h.code == error::record_too_large || h.code == error::too_many_records;
        return fail(h.code, h.where, whole_record ? 1 : b.field_index());
    }
}

} // namespace rtnotify::smartrest::detail

#endif
