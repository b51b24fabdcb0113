// The cluster bus on Redis pub/sub: frames one node publishes reach every other node, and every loss is counted.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_REDIS_BUS_HPP
#define RTNOTIFY_REDIS_BUS_HPP

#include <rtnotify/cluster/frame.hpp>
#include <rtnotify/cluster/sequence_tracker.hpp>
#include <rtnotify/detail/random.hpp>
#include <rtnotify/redis/address.hpp>
#include <rtnotify/redis/connection.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rtnotify::redis {

/// How a `bus` connects and what it bounds.
struct bus_options
{
    address where;                         ///< the Redis server
    std::string channel = "rtnotify";      ///< the Redis channel every node of the cluster publishes on
    std::string node_id;                   ///< this node's id in frames; empty: 16 random characters
    std::size_t max_pending = 10000;       ///< publishes sent and not yet acknowledged, at most…
    std::size_t max_pending_bytes = 16u << 20; ///< …and their bytes; beyond, a publish is not forwarded
    std::size_t max_frame_bytes = 1u << 20;    ///< a frame received that is longer is refused
    std::size_t max_nodes = 256;           ///< nodes whose sequence numbers are tracked
    std::chrono::milliseconds first_retry{100};   ///< the first wait before reconnecting, doubled each time…
    std::chrono::milliseconds max_retry{5000};    ///< …up to this; a connection that lasted this long starts over
    std::chrono::milliseconds connect_timeout{5000}; ///< a connect (and subscribe) that takes longer is retried
};

/// What a `bus` did since it started.
struct bus_counters
{
    std::uint64_t published = 0;     ///< frames Redis acknowledged
    std::uint64_t not_forwarded = 0; ///< frames not handed to Redis (down, too many pending, refused) or not acknowledged before the connection was lost (those may have arrived)
    std::uint64_t received = 0;      ///< frames of other nodes passed on
    std::uint64_t missed = 0;        ///< frames of other nodes that never arrived (gaps in their sequence numbers)
    std::uint64_t repeated = 0;      ///< frames seen again or out of order, dropped
    std::uint64_t refused = 0;       ///< texts on the channel that are not frames, or too long, or of another process using this node's id
    std::uint64_t restarts = 0;      ///< other nodes seen starting again under the same id (a new incarnation)
    std::uint64_t reconnects = 0;    ///< attempts to connect again after a connection failed or was lost
    bool up = false;                 ///< both connections open and subscribed
};

/** Every node of a cluster publishes its frames on one Redis channel and
    subscribes to it: a frame reaches every other node once, in the order
    its node published it (Redis keeps the order of one connection's
    publishes). A node skips its own frames (it delivered them locally).

    Redis pub/sub keeps nothing for a subscriber that is away, so losses are
    counted, never silent: a node counts what it could not publish
    (`not_forwarded`), and a receiver counts the gaps in each node's
    sequence numbers (`missed`), reported through `on_missed` as they show.
    Each bus draws an incarnation when it is made: a node restarted under
    the same id numbers from 1 again, and the others start counting it over
    (`restarts`, logged) instead of dropping its frames as seen before.

    Two connections (one in pub/sub mode, one for publishes) on the
    caller's executor; each reconnects with a doubling back-off when lost,
    and the subscription is made again. Not thread-safe: call it on its
    executor (the server's strand) only.
*/
class bus
{
public:
    /// What the bus tells its owner.
    struct handlers
    {
        std::function<void(cluster::frame const&)> on_frame;                    ///< another node's frame, in order
        std::function<void(std::string_view node, std::uint64_t count)> on_missed; ///< frames of `node` that never came
        std::function<void(std::string_view line)> log;                         ///< connections made and lost, refusals
        std::function<void()> on_publisher_open; ///< the publishing connection opened (again): `command` works; read shared state
    };

    bus(boost::asio::any_io_executor ex, bus_options opts, handlers h)
        : ex_(std::move(ex)), opts_(std::move(opts)), h_(std::move(h)), tracker_(opts_.max_nodes),
          pub_timer_(ex_), sub_timer_(ex_)
    {
        if(opts_.node_id.empty())
            opts_.node_id = rtnotify::detail::random_id(16);
    }

    bus(bus const&) = delete;
    bus& operator=(bus const&) = delete;

    /// Connects both connections; they keep reconnecting until `stop`.
    void start()
    {
        stopped_ = false;
        connect_publisher();
        connect_subscriber();
    }

    /// Closes both connections and stops reconnecting.
    void stop()
    {
        stopped_ = true;
        pub_timer_.cancel();
        sub_timer_.cancel();
        pub_.reset();
        sub_.reset();
        counters_.up = false;
    }

    /** Puts `body` on the bus as the next frame of this node.

        Not forwarded (counted, and logged once per outage) when the
        publishing connection is not open or `max_pending` /
        `max_pending_bytes` are reached; the sequence number is used anyway,
        so the other nodes count the frame as missed too. A frame longer
        than `max_frame_bytes`, which the other nodes would refuse, is not
        forwarded either (counted, logged at most once a second).
    */
    void publish(cluster::frame_kind kind, std::string_view body)
    {
        auto const text = cluster::encode_frame({kind, opts_.node_id, incarnation_, ++sequence_, body});
        if(text.size() > opts_.max_frame_bytes)
        {
            ++counters_.not_forwarded;
            return notice(last_oversize_notice_, "redis: a frame of " + std::to_string(text.size()) +
                                                     " bytes was not forwarded: longer than max_frame_bytes (" +
                                                     std::to_string(opts_.max_frame_bytes) + "), which the other nodes refuse");
        }
        if(!pub_ready_ || pub_->pending() >= opts_.max_pending || pending_bytes_ + text.size() > opts_.max_pending_bytes)
            return not_forwarded(pub_ready_ ? "too many publishes waiting for Redis" : "Redis is unreachable");
        pending_bytes_ += text.size();
        bool const sent = pub_->command({"PUBLISH", opts_.channel, text}, [this, n = text.size()](redisReply const* r) {
            pending_bytes_ -= n;
            if(r && r->type == REDIS_REPLY_INTEGER)
                ++counters_.published;
            else
                not_forwarded(r ? "Redis refused a publish" : "the connection to Redis was lost before Redis acknowledged");
        });
        if(!sent)
        {
            pending_bytes_ -= text.size();
            not_forwarded("hiredis refused the command");
        }
    }

    /** Sends a command other than a publish (`HSET`, `HGETALL`…) on the
        publishing connection; `on_reply` gets the reply, or null if the
        connection was lost first.
        @return false (and `on_reply` is not called) when that connection is not open.
    */
    bool command(std::vector<std::string_view> const& args, connection::reply_handler on_reply)
    {
        return pub_ready_ && pub_->command(args, std::move(on_reply));
    }

    /// The Redis channel the nodes share.
    std::string const& channel() const noexcept { return opts_.channel; }

    /// What the bus did so far.
    bus_counters const& counters() const noexcept { return counters_; }

    /// This node's id in the frames it publishes.
    std::string const& node_id() const noexcept { return opts_.node_id; }

private:
    void connect_publisher()
    {
        if(stopped_)
            return;
        pub_ = std::make_unique<connection>(ex_);
        pub_ready_ = false;
        pending_bytes_ = 0; // the lost connection's publishes were counted as not forwarded
        auto* c = pub_.get();
        bool const started = c->open(
            opts_.where,
            [this, c](std::string const& why) {
                if(c != pub_.get())
                    return;
                if(!why.empty())
                    return retry(pub_timer_, pub_retry_, "publishing", why, &bus::connect_publisher);
                pub_ready_ = true;
                pub_since_ = std::chrono::steady_clock::now();
                note_up("publishing connection open");
                if(h_.on_publisher_open)
                    h_.on_publisher_open();
            },
            [this, c](std::string const& why) {
                if(c != pub_.get())
                    return;
                if(pub_ready_ && std::chrono::steady_clock::now() - pub_since_ >= opts_.max_retry)
                    pub_retry_ = {}; // it had been up for a while: start the back-off over
                pub_ready_ = false;
                counters_.up = false;
                retry(pub_timer_, pub_retry_, "publishing", why.empty() ? "closed" : why, &bus::connect_publisher);
            });
        if(started)
            watch_connect(pub_timer_, pub_, pub_ready_, pub_retry_, "publishing", &bus::connect_publisher);
    }

    void connect_subscriber()
    {
        if(stopped_)
            return;
        sub_ = std::make_unique<connection>(ex_);
        sub_ready_ = false;
        auto* c = sub_.get();
        bool const started = c->open(
            opts_.where,
            [this, c](std::string const& why) {
                if(c != sub_.get())
                    return;
                if(!why.empty())
                    return retry(sub_timer_, sub_retry_, "subscribing", why, &bus::connect_subscriber);
                c->subscribe(opts_.channel, [this, c](std::string_view payload, bool subscribed) {
                    if(c != sub_.get())
                        return;
                    if(!subscribed)
                        return receive(payload);
                    sub_ready_ = true;
                    sub_since_ = std::chrono::steady_clock::now();
                    note_up("subscribed to channel " + opts_.channel);
                });
            },
            [this, c](std::string const& why) {
                if(c != sub_.get())
                    return;
                if(sub_ready_ && std::chrono::steady_clock::now() - sub_since_ >= opts_.max_retry)
                    sub_retry_ = {}; // it had been up for a while: start the back-off over
                sub_ready_ = false;
                counters_.up = false;
                retry(sub_timer_, sub_retry_, "subscribing", why.empty() ? "closed" : why, &bus::connect_subscriber);
            });
        if(started)
            watch_connect(sub_timer_, sub_, sub_ready_, sub_retry_, "subscribing", &bus::connect_subscriber);
    }

    /** Gives up on the connection in `slot` if it is not ready after
        `connect_timeout` (a host that does not answer): frees it (from the
        timer, outside hiredis's callbacks) and reconnects after the back-off.
    */
    void watch_connect(boost::asio::steady_timer& timer, std::unique_ptr<connection>& slot, bool& ready,
                       std::chrono::milliseconds& wait, char const* role, void (bus::*reconnect)())
    {
        timer.expires_after(opts_.connect_timeout);
        timer.async_wait([this, &timer, &slot, &ready, &wait, c = slot.get(), role, reconnect](boost::system::error_code ec) {
            if(ec || ready || c != slot.get())
                return;
            slot.reset();
            retry(timer, wait, role, "no answer within the connect timeout", reconnect);
        });
    }

    /// Logs why `role`'s connection failed or ended, and reconnects after the back-off.
    void retry(boost::asio::steady_timer& timer, std::chrono::milliseconds& wait, char const* role, std::string const& why,
               void (bus::*reconnect)())
    {
        if(stopped_)
            return;
        ++counters_.reconnects;
        wait = wait == std::chrono::milliseconds{} ? opts_.first_retry : std::min(wait * 2, opts_.max_retry);
        log(std::string("redis ") + role + " connection to " + opts_.where.display() + ": " + why + "; again in " +
            std::to_string(wait.count()) + " ms");
        timer.expires_after(wait);
        timer.async_wait([this, reconnect](boost::system::error_code ec) {
            if(!ec)
                (this->*reconnect)();
        });
    }

    void note_up(std::string const& what)
    {
        log("redis: " + what + " on " + opts_.where.display() + " as node " + opts_.node_id);
        counters_.up = pub_ready_ && sub_ready_;
        if(pub_ready_ && unreported_ > 0)
        {
            log("redis: " + std::to_string(unreported_) + " publishes were not forwarded to other nodes meanwhile");
            unreported_ = 0;
        }
    }

    void not_forwarded(char const* why)
    {
        ++counters_.not_forwarded;
        if(unreported_++ == 0)
            log(std::string("redis: a publish was not forwarded to other nodes (") + why + "); counting until it recovers");
    }

    /// A text from the channel: another node's frame is passed on in order, once; anything else is counted and dropped.
    void receive(std::string_view text)
    {
        if(text.size() > opts_.max_frame_bytes)
        {
            ++counters_.refused;
            return log("redis: refused a frame of " + std::to_string(text.size()) + " bytes (max_frame_bytes " +
                       std::to_string(opts_.max_frame_bytes) + ")");
        }
        auto const decoded = cluster::decode_frame(text);
        if(auto const* e = std::get_if<cluster::frame_error>(&decoded))
        {
            ++counters_.refused;
            return log("redis: refused a text on " + opts_.channel + ": " + e->message());
        }
        auto const& f = std::get<cluster::frame>(decoded);
        if(f.node == opts_.node_id)
        {
            if(f.incarnation == incarnation_)
                return; // this node's own frame
            ++counters_.refused;
            return notice(last_twin_notice_, "redis: another process publishes as node " + opts_.node_id +
                                                 " (incarnation " + std::string(f.incarnation) + ", this one " +
                                                 incarnation_ + "): its frames are refused; give each node its own id");
        }
        auto const v = tracker_.record(f.node, f.incarnation, f.sequence);
        if(v.restarted)
        {
            ++counters_.restarts;
            notice(last_restart_notice_, "redis: node " + std::string(f.node) + " started again (incarnation " +
                                             std::string(f.incarnation) + "): its frames count from number " +
                                             std::to_string(f.sequence));
        }
        if(v.missed)
        {
            counters_.missed += v.missed;
            if(h_.on_missed)
                h_.on_missed(f.node, v.missed);
        }
        if(!v.deliver)
        {
            ++counters_.repeated;
            return;
        }
        ++counters_.received;
        if(h_.on_frame)
            h_.on_frame(f);
    }

    /** Logs `line` unless a line of its kind was logged less than a second
        ago (`last`, when it was): two processes given one node id would
        otherwise log each frame.
    */
    void notice(std::chrono::steady_clock::time_point& last, std::string const& line)
    {
        auto const now = std::chrono::steady_clock::now();
        if(now - last < std::chrono::seconds(1))
            return;
        last = now;
        log(line);
    }

    void log(std::string_view line) const
    {
        if(h_.log)
            h_.log(line);
    }

    boost::asio::any_io_executor ex_;
    bus_options opts_;
    handlers h_;
    cluster::sequence_tracker tracker_;
    std::unique_ptr<connection> pub_, sub_;
    bool pub_ready_ = false, sub_ready_ = false;
    boost::asio::steady_timer pub_timer_, sub_timer_;
    std::chrono::milliseconds pub_retry_{}, sub_retry_{}; ///< the last wait before reconnecting (zero: none yet)
    std::chrono::steady_clock::time_point pub_since_, sub_since_; ///< when each connection became ready
    std::string incarnation_ = rtnotify::detail::random_id(8); ///< drawn once: this process's frames
    std::uint64_t sequence_ = 0;
    std::size_t pending_bytes_ = 0;
    std::uint64_t unreported_ = 0; ///< publishes not forwarded since the last report
    bus_counters counters_;
    std::chrono::steady_clock::time_point last_twin_notice_{}, last_restart_notice_{},
        last_oversize_notice_{}; ///< when `notice` last logged each kind
    bool stopped_ = true;
};

} // namespace rtnotify::redis

#endif
