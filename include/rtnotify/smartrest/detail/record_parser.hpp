// rtnotify/smartrest/detail/record_parser.hpp: the state SmartREST records are parsed into, and the parser's entry point.
// SPDX-License-Identifier: BSL-1.0
//
// The parser itself, a Spirit X3 grammar, is in impl/record_parser.ipp: the
// header includes it when rtnotify is header-only, and <rtnotify/src.hpp>
// compiles it once under RTNOTIFY_SEPARATE_COMPILATION.
#ifndef RTNOTIFY_SMARTREST_DETAIL_RECORD_PARSER_HPP
#define RTNOTIFY_SMARTREST_DETAIL_RECORD_PARSER_HPP

#include <rtnotify/detail/config.hpp>
#include <rtnotify/smartrest/diagnostic.hpp>
#include <rtnotify/smartrest/document.hpp>

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace rtnotify::smartrest::detail {

/// Thrown by a semantic action when a limit is exceeded; caught by `parse_records`.
struct limit_hit
{
    error code;
    char const* where;
};

/** The state the grammar's actions build a document with.

    Offsets are computed as `origin_offset + (p - origin)`, so the reader can
    parse a chunk that starts in the middle of a body.
*/
struct builder
{
    document& doc;
    char const* origin;
    std::size_t origin_offset;
    char const* end;              // end of the bytes being parsed
    std::size_t max_fields;
    std::size_t max_record_size;
    std::size_t max_records;
    std::size_t line = 1;         // line of line_pos
    char const* line_pos;         // start of the current record's line
    std::size_t quoted_lf = 0;    // LFs inside quoted fields since line_pos
    std::size_t record_first = 0; // index of the current record's first field
    char const* quote_open = nullptr; // the opening quote of the last quoted field
    bool quoted_escaped = false;      // the last quoted field holds `""`

    std::size_t offset_of(char const* p) const noexcept
    {
        return origin_offset + static_cast<std::size_t>(p - origin);
    }

    // The line of `p` (used on errors only).
    std::size_t line_of(char const* p) const noexcept
    {
        if(p < line_pos)
            return line - static_cast<std::size_t>(std::count(p, line_pos, '\n'));
        return line + static_cast<std::size_t>(std::count(line_pos, p, '\n'));
    }

    // A record or a blank line ended with the LF just before `next`.
    void newline(char const* next) noexcept
    {
        line += 1 + quoted_lf;
        quoted_lf = 0;
        line_pos = next;
    }

    std::size_t field_index() const noexcept
    {
        return doc.fields_.size() - record_first + 1;
    }

    void push_field(std::string_view v, char const* where)
    {
        if(doc.fields_.size() - record_first >= max_fields) [[unlikely]]
            throw limit_hit{error::too_many_fields, where};
        doc.fields_.push_back(v);
    }

    // The end of `[b, e)` without a CR that ends the record, then without
    // trailing blanks (leading ones are skipped by the grammar).
    char const* trimmed_end(char const* b, char const* e) const noexcept
    {
        if(e != b && e[-1] == '\r' && (e == end || *e == '\n'))
            --e;
        while(e != b && (e[-1] == ' ' || e[-1] == '\t'))
            --e;
        return e;
    }

    // An unquoted field `[b, e)`.
    void bare(char const* b, char const* e)
    {
        e = trimmed_end(b, e);
        push_field({b, static_cast<std::size_t>(e - b)}, b);
    }

    // The content `[b, e)` between the quotes of a quoted field.
    void quoted(char const* b, char const* e)
    {
        quote_open = b - 1;
        std::string_view v(b, static_cast<std::size_t>(e - b));
        if(!quoted_escaped) // set, with quoted_lf, by quoted_scan_parser
            return push_field(v, b);
        // `""` stands for one quote: copy the runs between doubled quotes.
        char* const out = doc.allocate(v.size());
        char* o = out;
        for(std::size_t i = 0;;)
        {
            auto const q = v.find('"', i);
            auto const run = v.substr(i, q == std::string_view::npos ? std::string_view::npos : q + 1 - i);
            o = std::copy(run.begin(), run.end(), o);
            if(q == std::string_view::npos)
                break;
            i = q + 2;
        }
        push_field({out, static_cast<std::size_t>(o - out)}, b);
    }

    // Lenient mode: bytes after a closing quote are kept, appended to the field.
    void tail(char const* b, char const* e)
    {
        e = trimmed_end(b, e);
        if(e == b)
            return;
        auto& last = doc.fields_.back();
        auto const n = last.size() + static_cast<std::size_t>(e - b);
        char* const out = doc.allocate(n);
        std::copy(b, e, std::copy(last.begin(), last.end(), out));
        last = {out, n};
    }

    void end_record(char const* b, char const* e)
    {
        if(static_cast<std::size_t>(e - b) > max_record_size)
            throw limit_hit{error::record_too_large, b};
        if(doc.records_.size() >= max_records)
            throw limit_hit{error::too_many_records, b};
        auto const count = doc.fields_.size() - record_first;
        doc.records_.push_back({record_first, count, offset_of(b), line});
        record_first = doc.fields_.size();
    }
};

/** Parses the complete records in `[first, last)` into `b.doc`.

    Returns an empty diagnostic (no code) on success.
*/
RTNOTIFY_DECL diagnostic parse_records(char const* first, char const* last, builder& b, bool lenient);

/// The length of a UTF-8 byte order mark at the start of `s` (0 or 3).
inline std::size_t bom_size(std::string_view s) noexcept
{
    return s.starts_with("\xEF\xBB\xBF") ? 3 : 0;
}

} // namespace rtnotify::smartrest::detail

#if RTNOTIFY_HEADER_ONLY
#include <rtnotify/smartrest/impl/record_parser.ipp>
#endif

#endif
