// Decodes a SmartREST body into records within decode_options.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_DECODE_HPP
#define RTNOTIFY_SMARTREST_DECODE_HPP

#include <rtnotify/smartrest/detail/record_parser.hpp>
#include <rtnotify/smartrest/diagnostic.hpp>
#include <rtnotify/smartrest/document.hpp>

#include <boost/system/result.hpp>

#include <cstddef>
#include <string_view>

namespace rtnotify::smartrest {

/// Options of the CSV decoder; the defaults are safe for bodies from the network.
struct decode_options
{
    /// Keep the bytes of a bare `"` in an unquoted field and of text after a closing quote, instead of failing.
    bool lenient = false;

    /// The most fields a record may have.
    std::size_t max_fields = 4096;

    /// The most bytes a record may span (the reader never buffers more than this).
    std::size_t max_record_size = std::size_t(1) << 20;

    /// The most records one document may hold: a body's, or what a reader
    /// holds until `take()` (as many as a Bayeux batch may hold messages).
    std::size_t max_records = 1000;

    /// Skip a UTF-8 BOM at the start of the body; false for a body cut from the middle of
    /// another, where those bytes begin a field.
    bool skip_bom = true;
};

/** Decodes a whole SmartREST body into records.

    The dialect: `,` separates fields; a record ends at LF, with an optional
    CR before it, and the last one needs no terminator; unquoted fields are
    trimmed of spaces and tabs; quoted fields keep everything, with `""` for
    a quote; blank lines make no record; a UTF-8 BOM at the start is skipped (unless `opts.skip_bom` is false).

    @param body the bytes; fields may point into them, so they must outlive the result.
    @return the records, or where and why decoding failed.
*/
inline boost::system::result<document, diagnostic> decode(std::string_view body, decode_options const& opts = {})
{
    document doc;
    doc.reserve_for(body.size());
    auto const skip = opts.skip_bom ? detail::bom_size(body) : 0;
    detail::builder b{doc, body.data(), 0, body.data() + body.size(), opts.max_fields, opts.max_record_size,
                      opts.max_records, 1, body.data()};
    auto d = detail::parse_records(body.data() + skip, body.data() + body.size(), b, opts.lenient);
    if(d.code)
        return d;
    return doc;
}

} // namespace rtnotify::smartrest

#endif
