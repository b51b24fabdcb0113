// rtnotify/beast/impl/client.ipp: the definitions of beast::client (header-only: from client.hpp; else from src.hpp).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_IMPL_CLIENT_IPP
#define RTNOTIFY_BEAST_IMPL_CLIENT_IPP

#include <rtnotify/bayeux/encode.hpp>
#include <rtnotify/bayeux/websocket.hpp>
#include <rtnotify/beast/client.hpp>
#include <rtnotify/beast/connection.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <type_traits>
#include <utility>

namespace rtnotify::beast {

/// One HTTP connection carrying one request at a time.
struct client::http_lane : std::enable_shared_from_this<http_lane>
{
    http_lane(boost::asio::any_io_executor ex, std::size_t max_unparsed) : resolver(ex), buffer(max_unparsed) {}

    /// The open connection; a new one for every connect (a TLS stream is
    /// not reused), kept alive by the operations on it.
    std::shared_ptr<beast::connection> conn;
    boost::asio::ip::tcp::resolver resolver;
    boost::beast::flat_buffer buffer; ///< read, not parsed yet: bounded by max_header_bytes
    boost::beast::http::request<boost::beast::http::string_body> req;
    std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> parser;
    bool connected = false;
    std::uint64_t busy = 0; ///< the request in flight, 0 when none

    void close()
    {
        if(conn)
            conn->close();
        connected = false;
    }
};

/// The WebSocket and the frames waiting to be written.
struct client::ws_state : std::enable_shared_from_this<ws_state>
{
    ws_state(boost::asio::any_io_executor ex, endpoint const& at) : resolver(ex)
    {
        if(at.tls)
            secure.emplace(ex, *at.tls_context);
        else
            plain.emplace(ex);
    }

    std::optional<boost::beast::websocket::stream<boost::beast::tcp_stream>> plain;
    std::optional<boost::beast::websocket::stream<tls_stream>> secure;
    boost::beast::websocket::response_type upgrade; ///< the server's answer to the upgrade
    boost::asio::ip::tcp::resolver resolver;
    boost::beast::flat_buffer buffer;
    std::deque<std::pair<std::uint64_t, std::string>> out; ///< request id, frame
    bool open = false;
    bool opening = false;
    bool writing = false;

    /// Calls `f` with the WebSocket stream, over TLS or not.
    template<class F>
    void with_ws(F&& f)
    {
        if(secure)
            f(*secure);
        else
            f(*plain);
    }

    void close()
    {
        boost::system::error_code ignored;
        with_ws([&](auto& ws) { boost::beast::get_lowest_layer(ws).socket().close(ignored); });
        open = false;
    }
};

RTNOTIFY_DECL void client::close()
{
    closed_ = true;
    timer_.cancel();
    for(auto& l : lanes_)
        if(l)
            l->close();
    if(ws_)
        ws_->close();
}

RTNOTIFY_DECL void client::pump()
{
    if(closed_)
        return;
    auto const t = now();
    while(auto r = engine_.next_request(t))
    {
        if(websocket_)
            send_ws(std::move(*r));
        else
            send_http(std::move(*r));
    }
    for(auto& e : engine_.take_events())
        if(on_event)
            on_event(e);
    if(closed_) // an event handler closed the client
        return;
    if(auto const d = engine_.next_deadline())
    {
        timer_.expires_at(*d);
        timer_.async_wait([this](boost::system::error_code ec) {
            if(ec || closed_)
                return;
            engine_.on_timer(now());
            pump();
        });
    }
}

RTNOTIFY_DECL void client::received(std::uint64_t id, std::string_view body)
{
    auto msgs = bayeux::decode(body, opts_.limits);
    if(!msgs)
        return failed(id, "response is not Bayeux: " + msgs.error().to_string());
    engine_.receive(id, std::move(*msgs), now());
    pump();
}

RTNOTIFY_DECL void client::failed(std::uint64_t id, std::string const& why)
{
    if(on_failure)
        on_failure(why);
    engine_.fail(id, now());
    pump();
}

RTNOTIFY_DECL void client::send_http(session::client_request r)
{
    namespace http = boost::beast::http;
    auto& slot = lanes_[r.connect_lane ? 0 : 1];
    if(slot && slot->busy != 0)
    {
        // The engine gave up on the request still in flight here (past its
        // deadline): abandon it with its connection, whose operations still
        // use this lane's request, parser and buffer; the new one connects anew.
        slot->close();
        slot.reset();
    }
    if(!slot)
        slot = std::make_shared<http_lane>(ex_, opts_.max_header_bytes);
    auto lane = slot;
    lane->req = {http::verb::post, url_.path, 11};
    lane->req.set(http::field::host, url_.authority());
    lane->req.set(http::field::content_type, "application/json");
    for(auto const& [name, value] : url_.headers)
        lane->req.set(name, value);
    if(auto const cookie = cookies_.header(); !cookie.empty())
        lane->req.set(http::field::cookie, cookie);
    lane->req.body() = bayeux::encode(r.messages);
    lane->req.prepare_payload();
    transmit(lane, r.id, lane->connected);
}

/** Sends the lane's request `id`, connecting first if needed.

    A kept-alive connection may have been closed by the server meanwhile:
    when a `reused` one fails before any byte of the response, the
    request is sent once more on a new connection (the server never saw it).
*/
RTNOTIFY_DECL void client::transmit(std::shared_ptr<http_lane> const& lane, std::uint64_t id, bool reused)
{
    namespace http = boost::beast::http;
    lane->busy = id;
    if(!lane->connected)
    {
        lane->conn = std::make_shared<beast::connection>(ex_, url_);
        auto const conn = lane->conn;
        return async_open(url_, lane->resolver, conn->lowest(), conn->tls(),
                          [this, lane, id, conn](boost::system::error_code ec, std::string const& during) {
                              if(abandoned(*lane))
                                  return;
                              if(ec)
                                  return lost(lane, id, false, during + ": " + ec.message());
                              lane->connected = true;
                              transmit(lane, id, false);
                          });
    }
    lane->parser.emplace();
    lane->parser->body_limit(opts_.max_response_bytes);
    lane->parser->header_limit(static_cast<std::uint32_t>(opts_.max_header_bytes));
    lane->conn->with_stream([&, conn = lane->conn](auto& stream) {
        http::async_write(stream, lane->req, [this, lane, id, reused, conn, &stream](boost::system::error_code ec,
                                                                                     std::size_t) {
            if(abandoned(*lane))
                return;
            if(ec)
                return lost(lane, id, reused, "send: " + ec.message());
            http::async_read(stream, lane->buffer, *lane->parser,
                             [this, lane, id, reused, conn](boost::system::error_code rec, std::size_t) {
                                 if(abandoned(*lane))
                                     return;
                                 if(rec)
                                     return lost(lane, id, reused && !lane->parser->got_some(),
                                                 "read the response: " + rec.message());
                                 lane->busy = 0;
                                 auto res = lane->parser->release();
                                 for(auto [it, end] = res.equal_range(http::field::set_cookie); it != end; ++it)
                                     cookies_.take(std::string_view(it->value().data(), it->value().size()));
                                 if(!res.keep_alive())
                                     lane->close();
                                 if(res.result() != http::status::ok)
                                     return failed(id, "HTTP " + std::to_string(res.result_int()) + " from " +
                                                           url_.path);
                                 received(id, res.body());
                             });
        });
    });
}

/// True when `lane` is no longer the client's: its request was abandoned (or the client closed).
RTNOTIFY_DECL bool client::abandoned(http_lane const& lane) const
{
    return closed_ || (lanes_[0].get() != &lane && lanes_[1].get() != &lane);
}

/// A lane's socket failed (`why`): the request is sent again (`again`) or failed; the next one connects anew.
RTNOTIFY_DECL void client::lost(std::shared_ptr<http_lane> const& lane, std::uint64_t id, bool again,
                                std::string const& why)
{
    lane->close();
    lane->buffer.clear();
    if(closed_)
        return;
    if(again)
        return transmit(lane, id, false);
    lane->busy = 0;
    failed(id, why);
}

RTNOTIFY_DECL void client::send_ws(session::client_request r)
{
    namespace http = boost::beast::http;
    namespace websocket = boost::beast::websocket;
    if(!ws_)
        ws_ = std::make_shared<ws_state>(ex_, url_);
    (r.connect_lane ? connect_id_ : message_id_) = r.id;
    ws_->out.emplace_back(r.id, bayeux::encode(r.messages));
    if(ws_->open)
        return write_ws();
    if(ws_->opening)
        return;
    ws_->opening = true;
    auto ws = ws_;
    ws->with_ws([&](auto& stream) {
        tls_stream* tls = nullptr;
        if constexpr(std::is_same_v<std::decay_t<decltype(stream.next_layer())>, tls_stream>)
            tls = &stream.next_layer();
        async_open(url_, ws->resolver, boost::beast::get_lowest_layer(stream), tls,
                   [this, ws, &stream](boost::system::error_code ec, std::string const& during) {
                       if(ec)
                           return ws_lost(ws, during + ": " + ec.message());
                       stream.read_message_max(opts_.max_response_bytes);
                       stream.set_option(websocket::stream_base::decorator(
                           [cookie = cookies_.header(), headers = url_.headers](websocket::request_type& req) {
                               if(!cookie.empty())
                                   req.set(http::field::cookie, cookie);
                               for(auto const& [name, value] : headers)
                                   req.set(name, value);
                           }));
                       stream.async_handshake(ws->upgrade, url_.authority(), url_.path,
                                              [this, ws](boost::system::error_code hec) {
                                                  for(auto [it, end] = ws->upgrade.equal_range(http::field::set_cookie);
                                                      it != end; ++it)
                                                      cookies_.take(
                                                          std::string_view(it->value().data(), it->value().size()));
                                                  if(hec)
                                                      return ws_lost(ws, "WebSocket upgrade of " + url_.path + ": " +
                                                                             hec.message());
                                                  ws->opening = false;
                                                  ws->open = true;
                                                  read_ws(ws);
                                                  write_ws();
                                              });
                   });
    });
}

RTNOTIFY_DECL void client::write_ws()
{
    auto ws = ws_;
    if(!ws || ws->writing || ws->out.empty() || !ws->open)
        return;
    ws->writing = true;
    ws->with_ws([&](auto& stream) {
        stream.text(true);
        stream.async_write(boost::asio::buffer(ws->out.front().second), [this, ws](boost::system::error_code ec, std::size_t) {
            ws->writing = false;
            if(ec)
                return ws_lost(ws, "WebSocket send: " + ec.message());
            ws->out.pop_front();
            write_ws();
        });
    });
}

RTNOTIFY_DECL void client::read_ws(std::shared_ptr<ws_state> ws)
{
    ws->with_ws([&](auto& stream) {
        stream.async_read(ws->buffer, [this, ws](boost::system::error_code ec, std::size_t) {
            if(ec)
                return ws_lost(ws, "WebSocket read: " + ec.message());
            auto const text = boost::beast::buffers_to_string(ws->buffer.data());
            ws->buffer.consume(ws->buffer.size());
            read_ws(ws);
            // replies steer the lane they answer; pure deliveries were pushed
            auto msgs = bayeux::read_ws_frame(text, opts_.limits);
            if(!msgs)
                return ws_lost(ws, "WebSocket message is not Bayeux: " + msgs.error().to_string());
            std::uint64_t id = 0;
            for(auto const& m : *msgs)
                if(m.successful)
                    id = (m.channel == "/meta/connect" || m.channel == "/meta/handshake") ? connect_id_ : message_id_;
            engine_.receive(id, std::move(*msgs), now());
            pump();
        });
    });
}

/// The WebSocket failed (`why`): every request on it failed; the next one opens a new socket.
RTNOTIFY_DECL void client::ws_lost(std::shared_ptr<ws_state> const& ws, std::string const& why)
{
    if(ws != ws_)
        return;
    ws->close();
    ws_.reset();
    if(closed_)
        return;
    if(on_failure)
        on_failure(why);
    engine_.fail(connect_id_, now());
    engine_.fail(message_id_, now());
    pump();
}

} // namespace rtnotify::beast

#endif
