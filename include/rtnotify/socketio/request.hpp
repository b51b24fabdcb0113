// The query of an Engine.IO HTTP request (EIO, transport, sid), checked, and Engine.IO's errors for a bad one.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SOCKETIO_REQUEST_HPP
#define RTNOTIFY_SOCKETIO_REQUEST_HPP

#include <rtnotify/socketio/engineio_packet.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <boost/throw_exception.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace rtnotify::socketio {

/// The transports of Engine.IO.
enum class transport
{
    polling,
    websocket,
};

/// What the query of an Engine.IO request asks for.
struct request_query
{
    eio_version version = eio_version::v4;
    socketio::transport transport = transport::polling;
    std::string sid; ///< empty: a handshake
};

/** An Engine.IO error, as servers answer it: HTTP 400 (403 for code 4) with
    `{"code":N,"message":"..."}` (https://github.com/socketio/engine.io,
    `Server.errors`).
*/
struct request_error
{
    int code = 3;
    std::string message = "Bad request";

    /// The JSON body of the answer.
    std::string body() const { return boost::json::serialize(boost::json::object{{"code", code}, {"message", message}}); }

    bool operator==(request_error const&) const = default;
};

/// Lets `result<T, request_error>::value()` throw a `std::runtime_error` with the code and message.
[[noreturn]] inline void throw_exception_from_error(request_error const& e, boost::source_location const& loc)
{
    boost::throw_exception(std::runtime_error("Engine.IO error " + std::to_string(e.code) + ": " + e.message), loc);
}

/** Reads the query of `target` (what follows `?`): `EIO` must be 3 or 4
    (code 5), `transport` `polling` or `websocket` (code 0); `j` (JSONP
    polling) is refused (code 3). A `sid` longer than 64 bytes cannot be one
    this server gave (code 1).
*/
inline boost::system::result<request_query, request_error> read_request_query(std::string_view target)
{
    auto const q = target.find('?');
    std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
    std::string_view eio, tr, sid;
    bool jsonp = false;
    while(!query.empty())
    {
        auto const amp = query.find('&');
        auto const pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        auto const eq = pair.find('=');
        auto const name = pair.substr(0, eq);
        auto const value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        if(name == "EIO")
            eio = value;
        else if(name == "transport")
            tr = value;
        else if(name == "sid")
            sid = value;
        else if(name == "j")
            jsonp = true;
    }
    request_query r;
    if(eio == "3")
        r.version = eio_version::v3;
    else if(eio != "4")
        return request_error{5, "Unsupported protocol version"};
    if(tr == "websocket")
        r.transport = transport::websocket;
    else if(tr != "polling")
        return request_error{0, "Transport unknown"};
    if(jsonp)
        return request_error{3, "Bad request"};
    if(sid.size() > 64)
        return request_error{1, "Session ID unknown"};
    r.sid = std::string(sid);
    return r;
}

} // namespace rtnotify::socketio

#endif
