// An HTTP/1.x response head written into one string, which the connection frees while it waits between responses.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_RESPONSE_HEAD_HPP
#define RTNOTIFY_BEAST_DETAIL_RESPONSE_HEAD_HPP

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace rtnotify::beast::detail {

/** The status line and header fields of a response, as the bytes sent.

    Beast's `http::response` allocates each field and its serializer a
    buffer list for every response; the server's responses are small and
    their fields few, so it writes them here, into a string kept by the
    connection. Fields are appended in order: names must be distinct, and
    values free of CR and LF (they come from the server and from request
    fields the parser has checked).
*/
class response_head
{
public:
    /// Starts a head: the status line of `status` for HTTP `version` (10 for HTTP/1.0, else HTTP/1.1).
    void start(unsigned status, unsigned version)
    {
        text_.clear();
        status_ = status;
        http10_ = version == 10;
        text_ += http10_ ? "HTTP/1.0 " : "HTTP/1.1 ";
        append_number(status);
        text_ += ' ';
        auto const reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
        text_.append(reason.data(), reason.size());
        text_ += "\r\n";
    }

    /// Appends the field `name: value`.
    void set(std::string_view name, std::string_view value)
    {
        text_.append(name);
        text_ += ": ";
        text_.append(value);
        text_ += "\r\n";
    }

    /// Appends the field `name: value`.
    void set(boost::beast::http::field name, std::string_view value)
    {
        auto const n = boost::beast::http::to_string(name);
        set(std::string_view(n.data(), n.size()), value);
    }

    /** Ends the head of a response whose body has `body_bytes` bytes.

        `Content-Length`, except for the statuses that have no body
        (1xx, 204, 304: RFC 9110, section 8.6); then what `keep_alive` means
        for the version: `Connection: close` for HTTP/1.1,
        `Connection: keep-alive` for HTTP/1.0.
    */
    void finish(std::uint64_t body_bytes, bool keep_alive)
    {
        if(status_ / 100 != 1 && status_ != 204 && status_ != 304)
        {
            text_ += "Content-Length: ";
            append_number(body_bytes);
            text_ += "\r\n";
        }
        finish_connection(keep_alive);
    }

    /** Ends the head of a streamed response, whose length is not known:
        chunked over HTTP/1.1; over HTTP/1.0 the body ends with the connection,
        so `keep_alive` must be false there.
    */
    void finish_streamed(bool keep_alive)
    {
        if(!http10_)
            text_ += "Transfer-Encoding: chunked\r\n";
        finish_connection(keep_alive);
    }

    /// The bytes of the head, valid until the next `start` or `release`.
    std::string_view text() const noexcept { return text_; }

    /// Frees the head's bytes (a connection that waits for a request holds no response).
    void release() noexcept { std::string().swap(text_); }

private:
    void finish_connection(bool keep_alive)
    {
        if(!http10_ && !keep_alive)
            text_ += "Connection: close\r\n";
        else if(http10_ && keep_alive)
            text_ += "Connection: keep-alive\r\n";
        text_ += "\r\n";
    }

    void append_number(std::uint64_t n)
    {
        char digits[20];
        auto const end = std::to_chars(digits, digits + sizeof digits, n).ptr;
        text_.append(digits, end);
    }

    std::string text_;
    unsigned status_ = 200;
    bool http10_ = false;
};

} // namespace rtnotify::beast::detail

#endif
