// rtnotify/beast/detail/mqtt_connection.hpp: one MQTT connection of the server, from accept to close.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_MQTT_CONNECTION_HPP
#define RTNOTIFY_BEAST_DETAIL_MQTT_CONNECTION_HPP

#include <rtnotify/beast/detail/hub.hpp>
#include <rtnotify/beast/detail/shared_text.hpp>
#include <rtnotify/beast/detail/transport.hpp>
#include <rtnotify/mqtt/reader.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <algorithm>
#include <array>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rtnotify::beast::detail {

/** One MQTT connection: its bytes go through an `mqtt::reader` to the hub's
    broker, and the bytes the broker sends it are written in order.

    The broker decides everything MQTT (CONNECT, keep-alive, which packet
    closes it); the connection only moves bytes. When more than half of
    `kuzzle_mqtt_options::max_backlog_bytes` wait to be written it tells the
    broker, which then drops QoS 0 messages for the client and queues QoS 1
    ones, until an eighth is left. A client that does not read at all is
    closed once `max_backlog_bytes` wait to be written, or when a write takes longer than `write_timeout`. What it writes,
    and the packet it is reading, count in the server's `max_buffered_bytes`
    (the packet also in its address's share); past either, it is closed. `Stream` is `tcp_stream` in
    the server, an in-memory stream in a fuzz target.
*/
template<class Stream>
class basic_mqtt_connection : public connection, public std::enable_shared_from_this<basic_mqtt_connection<Stream>>
{
public:
    /// A connection from `client` (its address).
    basic_mqtt_connection(std::shared_ptr<hub> h, Stream stream, std::string client)
        : hub_(std::move(h)), stream_(std::move(stream)), reader_(hub_->options().mqtt.limits), client_(std::move(client))
    {
    }

    ~basic_mqtt_connection() override
    {
        hub_->buffers().release(counted_, client_);
        for(auto const& bytes : out_)
            hub_->buffers().unhold(bytes);
        hub_->forget(this);
    }

    /** Counts itself in (closing at once past `max_connections` or its
        address's share), then reads; over TLS, after the handshake, which the
        broker's `connect_timeout` bounds with the CONNECT.
    */
    void run()
    {
        if(hub_->stopping() || hub_->admit(this->weak_from_this(), this, client_) != hub::refusal::none)
        {
            hub_->log("MQTT connection from " + client_ + " refused: too many connections");
            return close_transport(stream_);
        }
        exchange_ = hub_->mqtt_open(this->weak_from_this(), client_);
        start_transport(stream_, hub_->options().mqtt.broker.connect_timeout,
                        [self = this->shared_from_this()](boost::system::error_code ec) {
                            clear_deadline(self->stream_);
                            if(!ec && !self->closing_)
                                return self->read();
                            if(ec && ec != boost::asio::error::operation_aborted && !self->closing_)
                                self->hub_->log("TLS handshake with MQTT client " + self->client_ + " failed: " + ec.message());
                            self->closed();
                        });
    }

    void on_send(session::send&&) override {}
    void on_smartrest(std::string) override {}
    void on_text(std::shared_ptr<std::string const>) override {}

    void on_mqtt_bytes(std::shared_ptr<std::string const> bytes) override
    {
        if(closing_)
            return;
        shared_text piece(std::move(bytes));
        backlog_ += piece.size();
        if(backlog_ > hub_->options().mqtt.max_backlog_bytes)
        {
            hub_->log("MQTT connection from " + client_ + " closed: reader too slow, " + std::to_string(backlog_) +
                      " bytes waiting");
            return abort();
        }
        hub_->buffers().hold(piece);
        out_.push_back(std::move(piece));
        if(!behind_ && backlog_ > hub_->options().mqtt.max_backlog_bytes / 2)
        {
            behind_ = true; // the broker drops QoS 0 and queues QoS 1 until the client catches up
            hub_->mqtt_behind(exchange_, true);
        }
        if(!writing_ && !closing_)
            write();
    }

    void on_mqtt_close() override
    {
        closing_ = true;
        if(!writing_)
            closed();
    }

    /// MQTT 3.1.1 has no way to tell a client the server stops: the connection closes once its writes are done.
    void shutdown() override { on_mqtt_close(); }

    void abort() override
    {
        closing_ = true;
        closed();
    }

private:
    /// The most one read takes in.
    static constexpr std::size_t read_chunk = 16 * 1024;

    /** Reads what has arrived. Over TCP it waits until the socket is
        readable, then reads into a buffer of the thread's: an idle
        connection holds no read buffer of its own.
    */
    void read()
    {
        if constexpr(requires { stream_.socket().async_wait(boost::asio::socket_base::wait_read, [](auto) {}); })
        {
            stream_.socket().async_wait(boost::asio::socket_base::wait_read,
                                        [self = this->shared_from_this()](boost::system::error_code ec) {
                                            thread_local std::array<char, read_chunk> scratch;
                                            std::size_t n = 0;
                                            if(!ec)
                                                n = self->stream_.socket().read_some(boost::asio::buffer(scratch), ec);
                                            self->on_read(ec, std::string_view(scratch.data(), n));
                                        });
        }
        else
        {
            stream_.async_read_some(boost::asio::buffer(*chunk_),
                                    [self = this->shared_from_this()](boost::system::error_code ec, std::size_t n) {
                                        self->on_read(ec, std::string_view(self->chunk_->data(), n));
                                    });
        }
    }

    /// Hands the packets `bytes` complete to the broker; a packet the reader refuses ends the connection.
    void on_read(boost::system::error_code ec, std::string_view bytes)
    {
        if(ec || done_)
            return closed();
        reader_.feed(bytes);
        for(;;)
        {
            auto p = reader_.next();
            if(closing_)
                return;
            if(p)
            {
                hub_->mqtt_packet(exchange_, std::move(*p));
                continue;
            }
            if(p.error() != mqtt::error::need_more)
                return hub_->mqtt_refuse(exchange_, reader_.diag());
            break;
        }
        if(!count_buffered())
            return;
        read();
    }

    /** Counts the bytes of the packet being read in `max_buffered_bytes`
        (and its address's share); past either, the connection is closed.
    */
    bool count_buffered()
    {
        auto& budget = hub_->buffers();
        auto const held = reader_.buffered();
        if(held > counted_)
            budget.add(held - counted_, client_);
        else
            budget.release(counted_ - held, client_);
        counted_ = held;
        if(!budget.over() && !budget.over(client_))
            return true;
        hub_->log("MQTT connection from " + client_ + " closed: server busy, connections buffer more than " +
                  std::to_string(budget.over() ? budget.limit() : budget.per_address()) + " bytes");
        abort();
        return false;
    }

    /// Writes what waits, up to `gather` pieces in one call (one system call for a burst of messages).
    void write()
    {
        static constexpr std::size_t gather = 64;
        writing_ = true;
        in_flight_ = std::min(out_.size(), gather);
        std::vector<boost::asio::const_buffer> buffers;
        for(std::size_t i = 0; i < in_flight_; ++i)
            out_[i].append_buffers_to(buffers);
        set_deadline(stream_, hub_->options().write_timeout);
        boost::asio::async_write(stream_, buffers, [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
            self->wrote(ec);
        });
    }

    /// The write of the first `in_flight_` pieces is over: they are given back, and the next ones go.
    void wrote(boost::system::error_code ec)
    {
        writing_ = false;
        clear_deadline(stream_);
        for(; in_flight_ != 0; --in_flight_)
        {
            backlog_ -= out_.front().size();
            hub_->buffers().unhold(out_.front());
            out_.pop_front();
        }
        if(ec || done_)
            return closed();
        if(behind_ && backlog_ < hub_->options().mqtt.max_backlog_bytes / 8)
        {
            behind_ = false;
            hub_->mqtt_behind(exchange_, false); // may queue more, and start a write
        }
        if(!writing_ && !out_.empty())
            return write();
        if(closing_ && !writing_)
            closed();
    }

    /// The connection is done: the broker and the Kuzzle service forget it.
    void closed()
    {
        if(done_)
            return;
        done_ = true;
        closing_ = true;
        if(exchange_ != 0)
            hub_->mqtt_closed(exchange_);
        close_transport(stream_);
    }

    std::shared_ptr<hub> hub_;
    Stream stream_;
    mqtt::reader reader_;
    /// The read buffer of a stream without a socket to wait on (the fuzz targets' in-memory one).
    std::unique_ptr<std::array<char, read_chunk>> chunk_ = requires(Stream& s) { s.socket(); }
                                                              ? nullptr
                                                              : std::make_unique<std::array<char, read_chunk>>();
    std::deque<shared_text> out_;
    std::size_t backlog_ = 0;
    std::size_t in_flight_ = 0; ///< pieces of out_ the write in flight carries
    std::size_t counted_ = 0; ///< bytes of the reader counted in `max_buffered_bytes`
    session::exchange_id exchange_ = 0;
    std::string client_; ///< the peer's address
    bool writing_ = false;
    bool behind_ = false; ///< more than half of `max_backlog_bytes` unwritten: the broker was told
    bool closing_ = false;
    bool done_ = false;
};

/// The server's MQTT connections over TCP (server_tls.hpp has those over TLS).
using mqtt_connection = basic_mqtt_connection<boost::beast::tcp_stream>;

/// The connection of a socket the MQTT acceptor took.
inline std::shared_ptr<mqtt_connection> accepted_mqtt_connection(std::shared_ptr<hub> h, boost::asio::ip::tcp::socket socket)
{
    auto client = peer_address(socket);
    return std::make_shared<mqtt_connection>(std::move(h), boost::beast::tcp_stream(std::move(socket)), std::move(client));
}

} // namespace rtnotify::beast::detail

#endif
