// Several beast::servers, one per thread and io_context, that share their listeners and serve as one.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_SERVER_GROUP_HPP
#define RTNOTIFY_BEAST_SERVER_GROUP_HPP

#include <rtnotify/beast/memory_budget.hpp>
#include <rtnotify/beast/server.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace rtnotify::beast {

/** `count` servers (shards), each on an `io_context` of its own run by a
    thread of its own, that serve as one server on every core, without a
    lock on the way of a message.

    - Every shard listens on the same ports (`SO_REUSEPORT`): the kernel
      spreads the connections.
    - A Bayeux session lives on the shard that answered its handshake; its
      client id begins with that shard's tag (`shard_tags`). A request that
      names another shard's session is handed to it with its connection
      (`handed_connection`), which stays there; so is every request but
      Bayeux that reaches a shard past the first: SmartREST, Kuzzle's API,
      Socket.IO, `/metrics` and `/health` live on shard 0, as do the TLS
      and MQTT listeners (`shard(0)`), which cannot hand connections over.
    - A shard's `BAYEUX_BROWSER` cookies begin with its tag: a browser's
      handshakes and Bayeux WebSockets go to that shard, so its sessions
      made over HTTP go on over WebSockets. A WebSocket without the cookie
      goes to shard 0, where a new one finds the session again.
    - Each shard's publishes go to the other shards (`server::publish_remote`),
      after the application's `on_published`.
    - `/metrics` on shard 0 sums every shard's families (`sum_metrics`).
    - The server-wide limits are split: each shard gets `1/count` of
      `max_connections`, `max_buffered_bytes`, `session.max_sessions`,
      `session.max_total_queue_bytes` and `session.max_total_subscription_bytes`.
      The limits per address (`max_connections_per_address`,
      `session.max_sessions_per_owner`, `max_buffered_bytes_per_address`)
      hold for the whole group (one shared `session::address_counts` each).
      The limits per session and per connection stay as given.
    - `log` and `access_log` are called under one lock.

    `options_of(i)` gives shard `i`'s options; anything stateful in them
    (an authenticator behind `session.policy`, say) must be its own per
    shard, since shards run at the same time. Shards past the first lose
    what only the first serves (`ws_services`, `http_api`, `socketio.service`,
    `mqtt.service`). With `count == 1` this is one `server` on one thread.
*/
class server_group
{
public:
    /// The group; throws `std::invalid_argument` when `count` is 0 or past 62, or a shard's options are out of range.
    server_group(std::size_t count, std::function<server_options(std::size_t index)> const& options_of)
        : logs_(std::make_shared<std::mutex>())
    {
        if(count == 0 || count > shard_tags.size())
            throw std::invalid_argument("a server group has from 1 to " + std::to_string(shard_tags.size()) + " shards");
        for(std::size_t i = 0; i < count; ++i)
        {
            contexts_.push_back(std::make_unique<boost::asio::io_context>());
            shards_.push_back(std::make_unique<server>(*contexts_.back(), shard_options(i, count, options_of(i))));
        }
    }

    server_group(server_group const&) = delete;
    server_group& operator=(server_group const&) = delete;

    /// The number of shards.
    std::size_t size() const noexcept { return shards_.size(); }

    /// Shard `i`; shard 0 takes the TLS and MQTT listeners and serves all but Bayeux.
    server& shard(std::size_t i) { return *shards_.at(i); }

    /// The io_context of shard `i` (for signals and timers of the application, on shard 0's).
    boost::asio::io_context& context(std::size_t i) { return *contexts_.at(i); }

    /** Binds `endpoint` on every shard; port 0: the first shard picks a free
        port, the others bind the same one. Call before `run`.
        @return the first error (the shards bound until then keep listening).
    */
    boost::system::error_code listen(boost::asio::ip::tcp::endpoint endpoint)
    {
        for(auto& s : shards_)
        {
            if(auto ec = s->listen(endpoint))
                return ec;
            endpoint = s->endpoints().back();
        }
        return {};
    }

    /// The HTTP endpoints listened on (shard 0's; every shard has the same).
    std::vector<boost::asio::ip::tcp::endpoint> endpoints() const { return shards_.front()->endpoints(); }

    /// Runs every shard: shard 0 on the calling thread, the others on threads of their own; returns once all have stopped.
    void run()
    {
        std::vector<std::thread> threads;
        for(std::size_t i = 1; i < contexts_.size(); ++i)
            threads.emplace_back([&ctx = *contexts_[i]] { ctx.run(); });
        contexts_.front()->run();
        for(auto& t : threads)
            t.join();
    }

    /// Stops every shard gracefully (`server::stop`), from any thread.
    void stop()
    {
        for(auto& s : shards_)
            s->stop();
    }

    /// The most memory the group keeps whatever peers send: the sum of its shards' `memory_budget`.
    std::size_t memory_budget() const
    {
        std::size_t total = 0;
        for(auto const& s : shards_)
            total = detail::saturating_sum({total, beast::memory_budget(s->options())});
        return total;
    }

    /// Publishes `m` as the server, from any thread: shard 0 takes it in, and hands it to the others.
    void publish(bayeux::message m) { shards_.front()->publish(std::move(m)); }

private:
    /// How long shard 0's `/metrics` waits for another shard's figures before answering without them.
    static constexpr std::chrono::seconds metrics_wait{1};

    server_options shard_options(std::size_t index, std::size_t count, server_options o)
    {
        auto const share = [count](std::size_t total) { return std::max<std::size_t>(1, total / count); };
        o.sharding.index = index;
        o.sharding.count = count;
        if(count == 1)
            return o;
        o.sharding.connections_per_address = connections_per_address_;
        o.session.owner_counts = sessions_per_address_;
        o.sharding.buffered_per_address = buffered_per_address_;
        o.max_connections = share(o.max_connections);
        o.max_buffered_bytes = share(o.max_buffered_bytes);
        o.session.max_sessions = share(o.session.max_sessions);
        o.session.max_total_queue_bytes = share(o.session.max_total_queue_bytes);
        o.session.max_total_subscription_bytes = share(o.session.max_total_subscription_bytes);
        o.session.make_client_id = tagged_client_ids(index, std::move(o.session.make_client_id));
        o.sharding.hand_off = [this](std::size_t to, handed_connection c) { shards_.at(to)->adopt(std::move(c)); };
        o.on_published = [this, index, then = std::move(o.on_published)](session::published const& p) {
            if(then)
                then(p);
            for(std::size_t j = 0; j < shards_.size(); ++j)
                if(j != index)
                    shards_[j]->publish_remote(*p.message);
        };
        if(index == 0)
            o.sharding.peer_metrics = [this] { return other_shards_metrics(); };
        else
        {
            o.ws_services.clear();
            o.http_api = nullptr;
            o.socketio.service = nullptr;
            o.mqtt.service = nullptr;
        }
        if(o.log)
            o.log = [lock = logs_, log = std::move(o.log)](std::string_view line) {
                std::lock_guard hold(*lock);
                log(line);
            };
        if(o.access_log)
            o.access_log = [lock = logs_, log = std::move(o.access_log)](access_entry const& e) {
                std::lock_guard hold(*lock);
                log(e);
            };
        return o;
    }

    /// The metric families of shards 1 and up, each read on its own strand (shard 0 waits; the others never wait for it).
    std::vector<std::vector<metric_family>> other_shards_metrics()
    {
        std::vector<std::future<std::vector<metric_family>>> asked;
        for(std::size_t i = 1; i < shards_.size(); ++i)
        {
            auto answer = std::make_shared<std::promise<std::vector<metric_family>>>();
            asked.push_back(answer->get_future());
            boost::asio::post(shards_[i]->executor(),
                              [answer, &s = *shards_[i]] { answer->set_value(s.metrics()); });
        }
        std::vector<std::vector<metric_family>> out;
        for(auto& f : asked)
            if(f.wait_for(metrics_wait) == std::future_status::ready)
                out.push_back(f.get());
        return out;
    }

    std::shared_ptr<std::mutex> logs_; ///< held while a shard logs
    /// Connections per client address, counted for the whole group (`max_connections_per_address`).
    std::shared_ptr<session::address_counts> connections_per_address_ = std::make_shared<session::address_counts>();
    /// Bayeux sessions per client address, counted for the whole group (`session.max_sessions_per_owner`).
    std::shared_ptr<session::address_counts> sessions_per_address_ = std::make_shared<session::address_counts>();
    /// Bytes being read per client address, counted for the whole group (`max_buffered_bytes_per_address`).
    std::shared_ptr<session::address_counts> buffered_per_address_ = std::make_shared<session::address_counts>();
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    std::vector<std::unique_ptr<server>> shards_;
};

} // namespace rtnotify::beast

#endif
