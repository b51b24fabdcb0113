// rtnotify/beast/detail/ws_connection.hpp: one WebSocket of the server, Bayeux or of a `ws_service`, from its upgrade to its close.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_WS_CONNECTION_HPP
#define RTNOTIFY_BEAST_DETAIL_WS_CONNECTION_HPP

#include <rtnotify/bayeux/websocket.hpp>
#include <rtnotify/beast/detail/batch_text.hpp>
#include <rtnotify/beast/detail/browser_cookie.hpp>
#include <rtnotify/beast/detail/hub.hpp>
#include <rtnotify/beast/detail/shared_text.hpp>
#include <rtnotify/beast/detail/transport.hpp>
#include <rtnotify/beast/detail/ws_reading.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify::beast::detail {

/** One WebSocket, Bayeux or of a `ws_service`. Bayeux: each text message is
    a batch for the engine; replies and pushed deliveries go out as text
    messages, in order. Service: each text message goes to the service, and
    the texts it returns for this socket go out in order.

    Bad input closes this socket with a reason (1003 binary data, 1007 bad
    Bayeux, 1009 too big; Beast's 1002 for a frame that breaks RFC 6455); a reader too slow for what it is sent is closed
    with 1008 once `max_ws_backlog_bytes` are waiting. What it reads and
    writes counts in the server's `max_buffered_bytes`, what it reads also in
    its address's share; past either, a message being read closes it with
    1013 (try again later), and so does, past the first, a reader behind by
    more than `slow_reader_bytes`. `Stream` is the byte stream under the
    WebSocket: `tcp_stream` in the server, an in-memory one in the fuzz targets.
*/
template<class Stream>
class basic_ws_connection : public connection, public std::enable_shared_from_this<basic_ws_connection<Stream>>
{
    /// The most one read takes in before it is counted.
    static constexpr std::size_t read_chunk = 16 * 1024;
    /// Over `max_buffered_bytes`, a socket with more than this unsent is closed (1013); one keeping up is not.
    static constexpr std::size_t slow_reader_bytes = 64 * 1024;

public:
    /** A WebSocket from `client` (its address) for the Bayeux engine (`service` null), for `service`,
        or, given the `socketio_target` of its upgrade request, for Socket.IO. */
    basic_ws_connection(std::shared_ptr<hub> h, Stream stream, std::string client, ws_service* service,
                        std::optional<std::string> socketio_target = std::nullopt)
        : hub_(std::move(h)), service_(service), ws_(std::move(stream)), client_(std::move(client)),
          socketio_target_(std::move(socketio_target))
    {
    }

    ~basic_ws_connection() override
    {
        hub_->buffers().release(read_bytes_, client_);
        for(auto const& frame : out_)
            hub_->buffers().unhold(frame);
        hub_->forget(this);
    }

    /// Completes the upgrade `req`, then reads.
    void accept(boost::beast::http::request<boost::beast::http::string_body> req)
    {
        hub_->track(this->weak_from_this(), this, client_);
        configure_server_ws(ws_, hub_->options());
        auto browser = browser_id_of(req.base());
        auto const field = req[boost::beast::http::field::authorization];
        std::string authorization(field.data(), field.size());
        ws_.async_accept(req, [self = this->shared_from_this(), browser = std::move(browser),
                               authorization = std::move(authorization)](boost::system::error_code ec) mutable {
            if(ec)
                return self->closed();
            self->open_ = true;
            if(self->socketio_target_)
            {
                self->exchange_ = self->hub_->socketio_ws_open(self->weak_from_this(), self->client_, *self->socketio_target_);
                if(self->exchange_ == 0)
                    return self->close(boost::beast::websocket::close_code::policy_error, "bad Engine.IO request");
            }
            else
                self->exchange_ = self->hub_->open(self->weak_from_this(), true, self->client_, std::move(browser),
                                                   authorization);
            if(self->closing_)
                return self->send_close(); // the server stopped during the upgrade
            self->read();
        });
    }

    void on_send(session::send&& s) override { queue(batch_text(s)); }

    void on_smartrest(std::string) override {}

    void on_text(std::shared_ptr<std::string const> text) override { queue(shared_text(std::move(text))); }

    void on_session_end() override { close(boost::beast::websocket::close_code::normal, "session closed"); }

    void shutdown() override { close(boost::beast::websocket::close_code::going_away, "server stops"); }

    void abort() override
    {
        closing_ = true;
        close_transport(boost::beast::get_lowest_layer(ws_)); // what is in flight ends with an error
    }

private:
    /// Reads the next part of a message, up to `read_chunk` bytes, counted in `max_buffered_bytes` as it comes.
    void read()
    {
        ws_.async_read_some(buffer_, read_chunk, [self = this->shared_from_this()](boost::system::error_code ec, std::size_t n) {
            self->hub_->buffers().add(n, self->client_);
            self->read_bytes_ += n;
            self->on_read(ec);
        });
    }

    void on_read(boost::system::error_code ec)
    {
        namespace websocket = boost::beast::websocket;
        if(ec)
        {
            if(ec == websocket::error::message_too_big)
                hub_->log("WebSocket closed: message larger than " +
                          std::to_string(hub_->options().max_ws_message_bytes) + " bytes");
            return closed();
        }
        if(hub_->buffers().over())
        {
            hub_->log("WebSocket closed: server busy, connections buffer more than " +
                      std::to_string(hub_->buffers().limit()) + " bytes");
            return close(websocket::close_code::try_again_later, "server busy");
        }
        if(hub_->buffers().over(client_))
        {
            hub_->log("WebSocket closed: server busy, connections from " + client_ + " are reading more than " +
                      std::to_string(hub_->buffers().per_address()) + " bytes");
            return close(websocket::close_code::try_again_later, "server busy");
        }
        if(!ws_.is_message_done())
            return read();
        auto const text = boost::beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        buffer_.shrink_to_fit();
        hub_->buffers().release(std::exchange(read_bytes_, 0), client_);
        if(socketio_target_ && ws_.got_text())
        {
            hub_->socketio_ws_text(exchange_, this->weak_from_this(), this, text);
            if(!closing_)
                read();
            return;
        }
        if(service_ && ws_.got_text()) // binary messages close the socket below, unheard by the service
        {
            hub_->service_text(exchange_, *service_, text);
            if(!closing_)
                read();
            return;
        }
        auto batch = read_bayeux_ws_message(ws_.got_text(), text, hub_->options().http.limits);
        if(auto* refusal = std::get_if<ws_refusal>(&batch))
        {
            hub_->log("WebSocket closed: " + refusal->reason);
            return close(refusal->code, std::move(refusal->reason));
        }
        hub_->bayeux(exchange_, std::get<std::vector<bayeux::message>>(std::move(batch)));
        if(!closing_)
            read();
    }

    /// Sends `frame` after those waiting; its shared pieces count in full against `max_ws_backlog_bytes`.
    void queue(shared_text frame)
    {
        if(closing_ || !open_)
            return;
        backlog_ += frame.size();
        if(backlog_ > hub_->options().max_ws_backlog_bytes)
        {
            hub_->log("WebSocket closed: reader too slow, " + std::to_string(backlog_) + " bytes waiting");
            return close(boost::beast::websocket::close_code::policy_error, "reader too slow");
        }
        hub_->buffers().hold(frame);
        out_.push_back(std::move(frame));
        if(hub_->buffers().over() && backlog_ > slow_reader_bytes)
        {
            hub_->log("WebSocket closed: server busy, " + std::to_string(backlog_) + " bytes waiting for a reader");
            return close(boost::beast::websocket::close_code::try_again_later, "server busy");
        }
        if(!writing_)
            write();
    }

    void write()
    {
        writing_ = true;
        ws_.text(true);
        ws_.async_write(out_.front().buffers(),
                        [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                            self->writing_ = false;
                            self->backlog_ -= self->out_.front().size();
                            self->hub_->buffers().unhold(self->out_.front());
                            self->out_.pop_front(); // close() keeps the frame in flight
                            if(ec)
                                return self->closed();
                            if(self->closing_)
                                return self->send_close();
                            if(!self->out_.empty())
                                self->write();
                        });
    }

    /// Closes with `code` and `why` (cut to fit a close frame) once the write in flight is done.
    void close(boost::beast::websocket::close_code code, std::string why)
    {
        if(closing_)
            return;
        closing_ = true;
        for(auto it = out_.begin() + (writing_ ? 1 : 0); it != out_.end(); ++it)
            hub_->buffers().unhold(*it);
        out_.erase(out_.begin() + (writing_ ? 1 : 0), out_.end()); // unsent frames are dropped
        backlog_ = out_.empty() ? 0 : out_.front().size();
        reason_ = boost::beast::websocket::close_reason(code, close_reason_text(std::move(why)));
        if(open_ && !writing_)
            send_close(); // else once the upgrade or the write in flight completes
    }

    void send_close()
    {
        ws_.async_close(reason_, [self = this->shared_from_this()](boost::system::error_code) { self->closed(); });
    }

    /// The socket is done: the engine (or the service) forgets its exchange.
    void closed()
    {
        if(done_)
            return;
        done_ = true;
        if(exchange_ != 0 && socketio_target_)
            hub_->socketio_ws_closed(exchange_, this);
        else if(exchange_ != 0 && service_)
            hub_->service_close(exchange_, *service_);
        else if(exchange_ != 0)
            hub_->close(exchange_);
        close_transport(boost::beast::get_lowest_layer(ws_));
    }

    std::shared_ptr<hub> hub_;
    ws_service* service_; // owned by the hub's options
    boost::beast::websocket::stream<Stream> ws_;
    boost::beast::flat_buffer buffer_;
    std::deque<shared_text> out_;
    std::size_t backlog_ = 0;
    std::size_t read_bytes_ = 0; ///< of the message being read, counted in `max_buffered_bytes`
    session::exchange_id exchange_ = 0;
    std::string client_; ///< the peer's address
    std::optional<std::string> socketio_target_; ///< Socket.IO: the target of the upgrade request (its query names the session)
    boost::beast::websocket::close_reason reason_;
    bool open_ = false;
    bool writing_ = false;
    bool closing_ = false;
    bool done_ = false;
};

} // namespace rtnotify::beast::detail

#endif
