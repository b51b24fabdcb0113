// Fuzz target for WebSocket framing as the server reads it.
// SPDX-License-Identifier: BSL-1.0
//
// The input is what a client sends after a valid upgrade: raw frames (masked
// or not, fragmented, control frames, bad opcodes, bad UTF-8, oversized
// lengths). The first byte picks how many bytes each socket read returns
// (1 to 64), so frames arrive split at every boundary. A Beast WebSocket
// stream in the server role, configured by the server's own
// `configure_server_ws` with a small message bound, reads the messages;
// each goes through the server's `read_bayeux_ws_message` and what it
// accepts to a Bayeux session engine, as `beast::server` does.
// Properties checked:
// - nothing crashes, hangs or grows past the bounds: no message read is
//   larger than `max_ws_message_bytes`, and the engine's session bound holds;
// - a refused message closes with 1003 (binary) or 1007 (not Bayeux) and a
//   reason that fits a close frame and is valid UTF-8, and the last bytes
//   the server wrote are that close frame.
#include <rtnotify/beast/detail/ws_reading.hpp>
#include <rtnotify/session/server.hpp>

#include "fuzz_support.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/detail/utf8_checker.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace websocket = boost::beast::websocket;
namespace http = boost::beast::http;
using rtnotify_fuzz::check;

namespace {

rtnotify::beast::server_options const options = [] {
    rtnotify::beast::server_options o;
    o.max_ws_message_bytes = 1024;
    o.http.limits.max_messages = 16;
    o.session.max_sessions = 8;
    return o;
}();

http::request<http::string_body> const upgrade = [] {
    http::request<http::string_body> req{http::verb::get, "/bayeux", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::upgrade, "websocket");
    req.set(http::field::connection, "Upgrade");
    req.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
    req.set(http::field::sec_websocket_version, "13");
    return req;
}();

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if(size == 0)
        return 0;
    boost::asio::io_context ioc;
    boost::beast::test::stream peer(ioc);
    boost::beast::test::stream socket(ioc);
    socket.connect(peer);
    socket.read_size(1 + data[0] % 64);
    socket.append(std::string_view(reinterpret_cast<char const*>(data) + 1, size - 1));
    socket.close_remote(); // the input ends with the end of the stream

    websocket::stream<boost::beast::test::stream&> ws(socket);
    rtnotify::beast::detail::configure_server_ws(ws, options);
    boost::system::error_code ec;
    ws.accept(upgrade, ec);
    check(!ec);

    rtnotify::session::server engine(options.session);
    auto now = rtnotify::session::time_point{} + std::chrono::hours(1);
    boost::beast::flat_buffer buffer;
    std::size_t messages = 0;
    while(true)
    {
        ws.read(buffer, ec);
        if(ec)
            break;
        check(++messages <= size); // each message costs the input at least one byte
        check(buffer.size() <= options.max_ws_message_bytes);
        auto const payload = boost::beast::buffers_to_string(buffer.data());
        buffer.consume(buffer.size());
        auto result = rtnotify::beast::detail::read_bayeux_ws_message(ws.got_text(), payload, options.http.limits);
        if(auto* refusal = std::get_if<rtnotify::beast::detail::ws_refusal>(&result))
        {
            check(refusal->code == (ws.got_text() ? websocket::close_code::bad_payload
                                                  : websocket::close_code::unknown_data));
            auto const reason = rtnotify::beast::detail::close_reason_text(refusal->reason);
            check(reason.size() <= 123 && websocket::detail::check_utf8(reason.data(), reason.size()));
            ws.close(websocket::close_reason(refusal->code, reason), ec); // fails at the input's end: no close comes back
            auto const code = static_cast<std::uint16_t>(refusal->code);
            std::string frame{'\x88', static_cast<char>(2 + reason.size()), static_cast<char>(code >> 8),
                              static_cast<char>(code & 0xFF)};
            check(peer.str().ends_with(frame + reason));
            break;
        }
        engine.receive(1, std::get<std::vector<rtnotify::bayeux::message>>(std::move(result)), now,
                       rtnotify::session::exchange_kind::socket);
        (void)engine.take_actions();
        check(engine.session_count() <= options.session.max_sessions);
        now += std::chrono::milliseconds(10);
    }
    return 0;
}
