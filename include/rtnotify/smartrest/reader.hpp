// Decodes a SmartREST body that arrives in chunks.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_READER_HPP
#define RTNOTIFY_SMARTREST_READER_HPP

#include <rtnotify/smartrest/decode.hpp>
#include <rtnotify/smartrest/detail/record_parser.hpp>
#include <rtnotify/smartrest/diagnostic.hpp>
#include <rtnotify/smartrest/document.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace rtnotify::smartrest {

/** Decodes a SmartREST body that arrives in chunks (a long-poll response).

    Feed the bytes in any split; the records come out the same, in the same
    order, with the same offsets and lines, as `decode` gives for the whole
    body, and a failure has the same diagnostic. Only the bytes of the record
    still open are buffered, never more than `decode_options::max_record_size`.

    @code
    smartrest::reader r;
    for(auto chunk : chunks)
        if(auto ec = r.feed(chunk); ec && ec != smartrest::error::need_more)
            return r.diag();
    if(r.finish())
        return r.diag();
    for(auto rec : r.records()) ...
    @endcode
*/
class reader
{
public:
    /// Constructs a reader with the given options.
    explicit reader(decode_options const& opts = {}) : opts_(opts) {}

    /** Appends the next bytes of the body and decodes every record they complete.

        @return an empty code when no record is open, `error::need_more` while
        one is (a line without its LF, an open quote), or the error that stopped
        decoding; errors are sticky and described by `diag()`.
    */
    error_code feed(std::string_view bytes)
    {
        if(diag_.code)
            return diag_.code;
        buf_.append(bytes);
        if(!skip_bom(false))
            return error::need_more;
        std::size_t complete = 0; // bytes of buf_ that end with a record's LF
        for(; scanned_ < buf_.size(); ++scanned_)
            if(step(buf_[scanned_]))
                complete = scanned_ + 1;
        if(complete != 0 && !parse(complete))
            return diag_.code;
        if(buf_.size() > opts_.max_record_size)
            return fail(error::record_too_large);
        return buf_.empty() ? error_code() : error_code(error::need_more);
    }

    /** Declares the end of the body and decodes the last record.

        @return an empty code, or the error (an open quote is `error::unterminated_quote`).
    */
    error_code finish()
    {
        if(diag_.code)
            return diag_.code;
        skip_bom(true);
        if(!buf_.empty() && !parse(buf_.size()))
            return diag_.code;
        return {};
    }

    /// The records decoded so far; they own their bytes.
    document const& records() const noexcept { return doc_; }

    /// Moves the records decoded so far out of the reader.
    document take() noexcept { return std::exchange(doc_, document()); }

    /// Where and why decoding stopped; `diag().code` is empty while all is well.
    diagnostic const& diag() const noexcept { return diag_; }

private:
    // Where the boundary scanner is within a record; mirrors the grammar.
    enum class scan
    {
        field_start, // at the start of a field, blanks skipped so far
        bare,        // inside an unquoted field (or after a closing quote)
        quoted,      // inside quotes
        quote_seen,  // a quote inside quotes: closing, or the first of `""`
    };

    // Advances the scanner by one byte; true when the byte ends a record.
    bool step(char c) noexcept
    {
        switch(state_)
        {
        case scan::field_start:
            if(c == '"')
                state_ = scan::quoted;
            else if(c == '\n')
                return true;
            else if(c != ' ' && c != '\t' && c != ',')
                state_ = scan::bare;
            return false;
        case scan::bare:
            if(c == ',')
                state_ = scan::field_start;
            else if(c == '\n')
                return state_ = scan::field_start, true;
            return false;
        case scan::quoted:
            if(c == '"')
                state_ = scan::quote_seen;
            return false;
        case scan::quote_seen:
            if(c == '"')
                state_ = scan::quoted;
            else if(c == ',')
                state_ = scan::field_start;
            else if(c == '\n')
                return state_ = scan::field_start, true;
            else
                state_ = scan::bare;
            return false;
        }
        return false;
    }

    // Drops a UTF-8 BOM at the start of the body; false while undecided.
    bool skip_bom(bool at_end)
    {
        if(bom_checked_)
            return true;
        std::string_view const bom = "\xEF\xBB\xBF";
        if(!at_end && buf_.size() < bom.size() && bom.starts_with(buf_))
            return false;
        bom_checked_ = true;
        if(auto const n = detail::bom_size(buf_))
        {
            buf_.erase(0, n);
            offset_ += n;
        }
        return true;
    }

    // Parses the first `n` bytes of buf_ (whole records) into doc_.
    bool parse(std::size_t n)
    {
        auto const& chunk = doc_.storage_.emplace_back(buf_, 0, n);
        detail::builder b{doc_, chunk.data(), offset_, chunk.data() + n, opts_.max_fields, opts_.max_record_size,
                          opts_.max_records, line_, chunk.data()};
        b.record_first = doc_.fields_.size();
        diag_ = detail::parse_records(chunk.data(), chunk.data() + n, b, opts_.lenient);
        if(diag_.code)
            return false;
        buf_.erase(0, n);
        scanned_ -= n;
        offset_ += n;
        line_ = b.line;
        return true;
    }

    error_code fail(error e)
    {
        diag_ = {e, offset_, line_, 1};
        return e;
    }

    decode_options opts_;
    document doc_;
    diagnostic diag_;
    std::string buf_;              // bytes of the open record
    std::size_t scanned_ = 0;      // bytes of buf_ the scanner has seen
    std::size_t offset_ = 0;       // body offset of buf_[0]
    std::size_t line_ = 1;         // line of buf_[0]
    scan state_ = scan::field_start;
    bool bom_checked_ = false;
};

} // namespace rtnotify::smartrest

#endif
