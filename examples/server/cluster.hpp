// rtnotify-server --redis: the Bayeux publishes of this node go on the Redis bus, and the other nodes' come off it.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_EXAMPLES_SERVER_CLUSTER_HPP
#define RTNOTIFY_EXAMPLES_SERVER_CLUSTER_HPP

#include <rtnotify/bayeux/decode.hpp>
#include <rtnotify/beast/metrics.hpp>
#include <rtnotify/beast/server.hpp>
#include <rtnotify/beast/server_options.hpp>
#include <rtnotify/redis/bus.hpp>

#include <boost/asio/dispatch.hpp>

#include <memory>
#include <string>
#include <vector>

/** Joins a `beast::server` to the other nodes of its cluster through a
    `redis::bus`: what the server publishes goes on the bus once (its JSON
    text, encoded once for every subscriber), and each frame of another
    node is published here as a remote publish. Losses are logged and
    counted in the metrics (`rtnotify_cluster_*`).

    Make it before the server (`hook` sets the server's options), `start` it
    once the server exists, `stop` it with the server.
*/
class cluster_link
{
public:
    explicit cluster_link(rtnotify::redis::bus_options opts) : opts_(std::move(opts)) {}

    /// Sets `o.on_published` and `o.more_metrics` to go through this link, and keeps `o.log` for its own lines.
    void hook(rtnotify::beast::server_options& o)
    {
        log_ = o.log;
        o.on_published = [this](rtnotify::session::published const& p) {
            if(bus_)
                bus_->publish(rtnotify::cluster::frame_kind::bayeux, *p.json);
        };
        o.more_metrics = [this] { return metrics(); };
    }

    /// Connects to Redis on the server's strand; the bus reconnects by itself until `stop`.
    void start(rtnotify::beast::server& srv)
    {
        srv_ = &srv;
        rtnotify::redis::bus::handlers h;
        h.on_frame = [this](rtnotify::cluster::frame const& f) { deliver(f); };
        h.on_missed = [this](std::string_view node, std::uint64_t n) {
            say("cluster: " + std::to_string(n) + " messages from node " + std::string(node) +
                " never arrived (Redis pub/sub keeps nothing for a node that is away)");
        };
        h.log = [this](std::string_view line) { say(std::string(line)); };
        bus_ = std::make_unique<rtnotify::redis::bus>(srv.executor(), opts_, std::move(h));
        boost::asio::dispatch(srv.executor(), [this] { bus_->start(); });
    }

    /// Closes the connections to Redis (on the strand), so that the io_context can end.
    void stop()
    {
        if(srv_)
            boost::asio::dispatch(srv_->executor(), [this] { bus_->stop(); });
    }

private:
    /// Publishes another node's frame to the subscribers here; a body that is not one Bayeux message is refused.
    void deliver(rtnotify::cluster::frame const& f)
    {
        auto decoded = rtnotify::bayeux::decode(f.body);
        if(!decoded || decoded->size() != 1)
        {
            ++undecodable_;
            return say("cluster: refused a frame of node " + std::string(f.node) + ": " +
                       (decoded ? std::string("not one message") : decoded.error().to_string()));
        }
        srv_->publish_remote(std::move(decoded->front()));
    }

    std::vector<rtnotify::beast::metric_family> metrics() const
    {
        if(!bus_)
            return {};
        auto const& c = bus_->counters();
        auto counter = [](char const* name, char const* help, std::uint64_t v) {
            return rtnotify::beast::metric_family{name, help, true, {{"", v}}};
        };
        return {
            {"rtnotify_cluster_up", "1 when both connections to Redis are open and subscribed.", false, {{"", c.up ? 1u : 0u}}},
            counter("rtnotify_cluster_published_total", "Publishes Redis acknowledged.", c.published),
            counter("rtnotify_cluster_not_forwarded_total", "Publishes this node could not hand to Redis.", c.not_forwarded),
            counter("rtnotify_cluster_received_total", "Publishes of other nodes received.", c.received),
            counter("rtnotify_cluster_missed_total", "Publishes of other nodes that never arrived.", c.missed),
            counter("rtnotify_cluster_repeated_total", "Publishes of other nodes received twice or out of order, dropped.",
                    c.repeated),
            counter("rtnotify_cluster_refused_total", "Texts on the channel that are not frames, or bodies not one message.",
                    c.refused + undecodable_),
            counter("rtnotify_cluster_reconnects_total", "Attempts to connect to Redis again after a connection failed or was lost.",
                    c.reconnects),
        };
    }

    void say(std::string const& line) const
    {
        if(log_)
            log_(line);
    }

    rtnotify::redis::bus_options opts_;
    std::function<void(std::string_view)> log_;
    std::unique_ptr<rtnotify::redis::bus> bus_;
    rtnotify::beast::server* srv_ = nullptr;
    std::uint64_t undecodable_ = 0;
};

#endif
