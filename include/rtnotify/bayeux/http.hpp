// Bayeux over HTTP: reading a request (JSON body, form, JSONP) and writing its response.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_HTTP_HPP
#define RTNOTIFY_BAYEUX_HTTP_HPP

#include <rtnotify/bayeux/decode.hpp>
#include <rtnotify/bayeux/encode.hpp>
#include <rtnotify/bayeux/http_options.hpp>
#include <rtnotify/bayeux/message.hpp>
#include <rtnotify/detail/header_lists.hpp>
#include <rtnotify/detail/percent.hpp>

#include <boost/system/result.hpp>
#include <boost/system/system_error.hpp>

#include <boost/assert/source_location.hpp>
#include <boost/throw_exception.hpp>

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtnotify::bayeux {

/// The HTTP transport a request used.
enum class http_transport
{
    json_post,  ///< POST, `application/json` body
    form_post,  ///< POST, `application/x-www-form-urlencoded` with `message=`
    jsonp_get,  ///< GET with `message=` and `jsonp=` (callback-polling)
};

/// What the binding needs of an HTTP request; the views must outlive the call.
struct http_request
{
    std::string_view method;       ///< "GET", "POST", ...
    std::string_view target;       ///< path and query, as on the request line
    std::string_view content_type; ///< the Content-Type header, empty when absent
    std::string_view body;
};

/// The messages an HTTP request carried.
struct http_input
{
    http_transport transport = http_transport::json_post;
    std::vector<message> messages;
    std::string callback; ///< JSONP only: the function the reply calls
};

/// An HTTP response to send: status, headers, body.
struct http_response
{
    unsigned status = 200;
    std::vector<std::pair<std::string, std::string>> headers; ///< including Content-Type
    std::string body;
};

/** Lets `result<T, http_response>::value()` throw a `boost::system::system_error`:
    `error::body_too_large` for a 413, else `error::http_refused`, with the
    status and body in its message.
*/
[[noreturn]] inline void throw_exception_from_error(http_response const& r, boost::source_location const& loc)
{
    auto const code = r.status == 413 ? error::body_too_large : error::http_refused;
    boost::throw_exception(
        boost::system::system_error(make_error_code(code), "HTTP " + std::to_string(r.status) + ": " + r.body), loc);
}

namespace detail::http {

inline char lower(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// The media type of a Content-Type value, lower-cased, without parameters and blanks.
inline std::string media_type(std::string_view ct)
{
    std::string out(rtnotify::detail::next_item(ct, ';'));
    for(auto& c : out)
        c = lower(c);
    return out;
}

// The decoded values of `name` in a form or query string, in order; empty on a bad escape.
inline std::optional<std::vector<std::string>> form_values(std::string_view form, std::string_view name)
{
    std::vector<std::string> values;
    while(!form.empty())
    {
        auto const amp = form.find('&');
        auto const pair = form.substr(0, amp);
        form = amp == std::string_view::npos ? std::string_view() : form.substr(amp + 1);
        auto const eq = pair.find('=');
        auto key = rtnotify::detail::percent_decoded(pair.substr(0, eq), true);
        if(!key)
            return std::nullopt;
        if(*key != name)
            continue;
        auto value = rtnotify::detail::percent_decoded(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
        if(!value)
            return std::nullopt;
        values.push_back(std::move(*value));
    }
    return values;
}

// A JSONP callback: dotted JavaScript identifiers of ASCII letters, digits, `_` and `$`.
inline bool valid_callback(std::string_view cb, std::size_t max) noexcept
{
    if(cb.empty() || cb.size() > max)
        return false;
    bool start = true;
    for(char c : cb)
    {
        bool const letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
        if(c == '.')
        {
            if(start)
                return false;
            start = true;
            continue;
        }
        if(!letter && !(c >= '0' && c <= '9' && !start))
            return false;
        start = false;
    }
    return !start;
}

} // namespace detail::http

/// The fields besides `Content-Type` that every Bayeux response carries: no caching, no sniffing.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 2> http_no_cache_fields{{
    {"Cache-Control", "no-cache, no-store"},
    {"X-Content-Type-Options", "nosniff"},
}};

namespace detail::http {

inline std::vector<std::pair<std::string, std::string>> no_cache(std::string content_type)
{
    std::vector<std::pair<std::string, std::string>> fields{{"Content-Type", std::move(content_type)}};
    for(auto const& [name, value] : http_no_cache_fields)
        fields.emplace_back(name, value);
    return fields;
}

} // namespace detail::http

/** An HTTP error response: `status`, a plain-text body with the reason and detail.

    405 responses carry `Allow: GET, POST`.
*/
inline http_response http_error(unsigned status, std::string_view detail)
{
    http_response r{status, detail::http::no_cache("text/plain; charset=utf-8"), std::string(detail)};
    if(status == 405)
        r.headers.emplace_back("Allow", "GET, POST");
    r.body.push_back('\n');
    return r;
}

/** Reads the Bayeux messages of an HTTP request.

    - POST `application/json` (any parameters): the body is a batch;
    - POST `application/x-www-form-urlencoded`: each `message` value (one or
      several) is a batch or a message, in order;
    - GET with `message` in the query: callback-polling; `jsonp` names the
      callback (default `jsonpcallback`), dotted JavaScript identifiers only;
    - any other method is 405, any other content type 415, a body over the
      limit 413, and a malformed batch or form 400, with the decoder's
      description (message index, field) in the body.

    @return the messages, or the error response to send.
*/
inline boost::system::result<http_input, http_response> read_http_request(http_request const& req,
                                                                           http_options const& opts = {})
{
    namespace h = detail::http;
    http_input in;
    auto add = [&](std::string_view batch) -> std::optional<http_response> {
        auto r = decode(batch, opts.limits);
        if(!r)
        {
            auto const status = r.error().code == error::body_too_large ? 413u : 400u;
            return http_error(status, "bad Bayeux message: " + r.error().to_string());
        }
        if(in.messages.size() + r->size() > opts.limits.max_messages)
            return http_error(400, "bad Bayeux message: " + error_code(error::too_many_messages).message());
        for(auto& m : *r)
            in.messages.push_back(std::move(m));
        return std::nullopt;
    };
    auto form_batches = [&](std::string_view form, http_transport t) -> std::optional<http_response> {
        in.transport = t;
        auto values = h::form_values(form, "message");
        if(!values)
            return http_error(400, "malformed URL encoding");
        if(values->empty())
            return http_error(400, "no message parameter");
        for(auto const& v : *values)
            if(auto e = add(v))
                return e;
        return std::nullopt;
    };

    if(req.method == "POST")
    {
        if(req.body.size() > opts.limits.max_body_size)
            return http_error(413, "body larger than " + std::to_string(opts.limits.max_body_size) + " bytes");
        auto const type = h::media_type(req.content_type);
        if(type == "application/json")
        {
            in.transport = http_transport::json_post;
            if(auto e = add(req.body))
                return *e;
            return in;
        }
        if(type == "application/x-www-form-urlencoded")
        {
            if(auto e = form_batches(req.body, http_transport::form_post))
                return *e;
            return in;
        }
        return http_error(415, type.empty() ? "missing Content-Type" : "unsupported Content-Type " + type);
    }
    if(req.method == "GET")
    {
        auto const q = req.target.find('?');
        auto const query = q == std::string_view::npos ? std::string_view() : req.target.substr(q + 1);
        if(query.size() > opts.limits.max_body_size)
            return http_error(413, "query larger than " + std::to_string(opts.limits.max_body_size) + " bytes");
        auto callbacks = h::form_values(query, "jsonp");
        if(!callbacks)
            return http_error(400, "malformed URL encoding");
        if(callbacks->size() > 1)
            return http_error(400, "more than one jsonp parameter");
        in.callback = callbacks->empty() ? opts.default_callback : callbacks->front();
        if(!h::valid_callback(in.callback, opts.max_callback_length))
            return http_error(400, "invalid jsonp callback");
        if(auto e = form_batches(query, http_transport::jsonp_get))
            return *e;
        return in;
    }
    return http_error(405, "method not allowed");
}

/// The `Content-Type` of the response to `in`: JSON, or JavaScript for JSONP.
inline std::string_view http_content_type(http_input const& in) noexcept
{
    return in.transport == http_transport::jsonp_get ? "text/javascript; charset=utf-8" : "application/json; charset=utf-8";
}

/// What precedes the JSON array in the response to `in` (`callback(` for JSONP).
inline std::string http_response_prefix(http_input const& in)
{
    return in.transport == http_transport::jsonp_get ? in.callback + "(" : std::string();
}

/** The response to a request read by `read_http_request`, up to its JSON
    array: status, headers, and in `body` what comes before the array.

    JSON: `application/json`, nothing before the array. JSONP:
    `text/javascript`, `callback(` before it and `);` after it
    (`http_response_tail`). Both forbid caching.
*/
inline http_response http_response_head(http_input const& in)
{
    return {200, detail::http::no_cache(std::string(http_content_type(in))), http_response_prefix(in)};
}

/// What follows the JSON array in the response to `in` (`);` for JSONP).
inline std::string_view http_response_tail(http_input const& in) noexcept
{
    return in.transport == http_transport::jsonp_get ? ");" : "";
}

/// The HTTP response carrying `replies` for a request read by `read_http_request`.
inline http_response make_http_response(std::span<message const> replies, http_input const& in)
{
    auto r = http_response_head(in);
    encode(r.body, replies);
    r.body.append(http_response_tail(in));
    return r;
}

} // namespace rtnotify::bayeux

#endif
