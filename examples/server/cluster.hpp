// rtnotify-server --redis: this node's Bayeux publishes, SmartREST templates, Kuzzle changes and MQTT publishes go on the Redis bus, the other nodes' come off it.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_EXAMPLES_SERVER_CLUSTER_HPP
#define RTNOTIFY_EXAMPLES_SERVER_CLUSTER_HPP

#include <rtnotify/bayeux/decode.hpp>
#include <rtnotify/beast/metrics.hpp>
#include <rtnotify/beast/server.hpp>
#include <rtnotify/beast/server_group.hpp>
#include <rtnotify/beast/server_options.hpp>
#include <rtnotify/cluster/mqtt_body.hpp>
#include <rtnotify/redis/bus.hpp>
#include <rtnotify/redis/versioned_hash.hpp>
#include <rtnotify/rooms/document_change_json.hpp>
#include <rtnotify/rooms/presence_json.hpp>

#include <boost/json/serialize.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

/** Joins a `beast::server` to the other nodes of its cluster through a
    `redis::bus`: what the server publishes goes on the bus once (its JSON
    text, encoded once for every subscriber), and each frame of another
    node is published here as a remote publish. The Kuzzle service's
    document changes and realtime publishes cross the same way, notify the
    rooms of every node and fill every node's store, and so do who enters
    and leaves its rooms (with snapshots of their counts); so do the messages MQTT clients publish (and
    their wills), to the MQTT subscribers of every node. Losses are logged and
    counted in the metrics (`rtnotify_cluster_*`).

    SmartREST template registrations go on the bus too, and into the Redis
    set `<channel>:templates`, which a node reads each time its publishing
    connection opens: a node that starts later, or was away, knows them.
    Each node also writes again there every registration it holds when the
    connection opens, so a Redis restarted empty gets them back. Kuzzle
    documents go into the hash `<channel>:documents` (the newest version of
    each, `redis::versioned_hash`), which a node also reads each time that
    connection opens, into its store without notifying anyone. So do MQTT
    retained messages (`<channel>:retained`, the latest retain winning), kept
    by a node for the topics it has none retained for.

    Make it before the server (`hook` sets the server's options), `start` it
    once the server exists, `stop` it with the server. With several threads
    (a `server_group`), the link lives on shard 0: the other shards' publishes
    are posted to it, and another node's publish is given to every shard.
*/
class cluster_link
{
public:
    explicit cluster_link(rtnotify::redis::bus_options opts) : opts_(std::move(opts)) {}

    /** Sets the options of shard `shard` of the group to go through this link.
        Shard 0's `on_published`, `on_templates_registered`, `on_service_event`,
        `on_mqtt_published` and `more_metrics` call it (and it keeps `o.log`
        for its own lines); another shard's `on_published` posts the publish
        to shard 0, and its other hooks are cleared (SmartREST, Kuzzle and MQTT
        live on shard 0, and the cluster's figures are counted once).
    */
    void hook(rtnotify::beast::server_options& o, std::size_t shard)
    {
        if(shard != 0)
        {
            // group_ is set by start, before any shard runs
            o.on_published = [this](rtnotify::session::published const& p) {
                boost::asio::post(first().executor(), [this, json = p.json] { forward(*json); });
            };
            o.on_templates_registered = nullptr;
            o.on_service_event = nullptr;
            o.on_mqtt_published = nullptr;
            o.more_metrics = nullptr;
            return;
        }
        log_ = o.log;
        o.on_published = [this](rtnotify::session::published const& p) { forward(*p.json); };
        o.on_templates_registered = [this](std::string_view xid, std::string_view body, std::string_view owner) {
            if(!bus_)
                return;
            auto const text = rtnotify::cluster::templates_body({xid, owner, body});
            registrations_.insert(text);
            bus_->publish(rtnotify::cluster::frame_kind::templates, text);
            if(!bus_->command({"SADD", templates_key(), text}, {}))
                say("cluster: templates " + std::string(xid) + " not stored in Redis (unreachable): nodes that start "
                    "later will not know them");
        };
        o.on_service_event = [this](std::string const& event) {
            if(!bus_)
                return;
            bus_->publish(rtnotify::cluster::frame_kind::service, event);
            keep_document(event);
        };
        o.on_mqtt_published = [this](std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain) {
            if(!bus_)
                return;
            auto const body = rtnotify::cluster::mqtt_body({topic, payload, qos, retain});
            bus_->publish(rtnotify::cluster::frame_kind::mqtt, body);
            if(retain)
                keep_retained(topic, payload.empty() ? std::string_view() : body);
        };
        o.more_metrics = [this] { return metrics(); };
    }

    /// Connects to Redis on shard 0's strand; the bus reconnects by itself until `stop`. Before the group runs.
    void start(rtnotify::beast::server_group& group)
    {
        group_ = &group;
        auto& srv = first();
        rtnotify::redis::bus::handlers h;
        h.on_frame = [this](rtnotify::cluster::frame const& f) { deliver(f); };
        h.on_missed = [this](std::string_view node, std::uint64_t n) {
            say("cluster: " + std::to_string(n) + " messages from node " + std::string(node) +
                " never arrived (Redis pub/sub keeps nothing for a node that is away)");
        };
        h.log = [this](std::string_view line) { say(std::string(line)); };
        h.on_publisher_open = [this] {
            load_templates();
            load_documents();
            load_retained();
        };
        bus_ = std::make_unique<rtnotify::redis::bus>(srv.executor(), opts_, std::move(h));
        documents_ = std::make_unique<rtnotify::redis::versioned_hash>(*bus_, bus_->channel() + ":documents");
        retained_ = std::make_unique<rtnotify::redis::versioned_hash>(*bus_, bus_->channel() + ":retained");
        boost::asio::dispatch(srv.executor(), [this] { bus_->start(); });
    }

    /// Closes the connections to Redis (on the strand), so that the io_context can end.
    void stop()
    {
        if(group_)
            boost::asio::dispatch(first().executor(), [this] { bus_->stop(); });
    }

private:
    /// Puts a publish of this node (its JSON) on the bus, on shard 0's strand.
    void forward(std::string const& json)
    {
        if(bus_)
            bus_->publish(rtnotify::cluster::frame_kind::bayeux, json);
    }

    /// Shard 0 of the group: the one that talks to Redis, and serves SmartREST, Kuzzle and MQTT.
    rtnotify::beast::server& first() const { return group_->shard(0); }

    /// The Redis set of every registration of the cluster.
    std::string templates_key() const { return bus_->channel() + ":templates"; }

    /// Writes the registrations this node holds into `<channel>:templates`, then registers those of the set it lacks.
    void load_templates()
    {
        auto const key = templates_key();
        for(auto const& text : registrations_)
            bus_->command({"SADD", key, text}, {});
        bus_->command({"SMEMBERS", key}, [this](redisReply const* r) {
            if(!r || r->type != REDIS_REPLY_ARRAY)
                return say("cluster: could not read " + templates_key() + " from Redis");
            for(std::size_t i = 0; i < r->elements; ++i)
                if(r->element[i]->type == REDIS_REPLY_STRING)
                    register_remote(std::string_view(r->element[i]->str, r->element[i]->len), "Redis");
        });
    }

    /** Keeps the document of a Kuzzle change made here in `<channel>:documents`
        (its field: `[index, collection, id]` as JSON), as a silent change
        without what only notifications need; a delete removes it. Logs once
        per outage a document Redis could not take.
    */
    void keep_document(std::string const& event)
    {
        namespace rooms = rtnotify::rooms;
        if(event.starts_with(rooms::presence_prefix))
            return;
        auto read = rooms::read_document_change(event);
        auto* c = std::get_if<rooms::document_change>(&read);
        if(!c || c->action == rooms::document_action::publish || c->version == 0 || !c->id.is_string())
            return;
        auto const field = boost::json::serialize(boost::json::array{c->index, c->collection, c->id});
        bool stored = false;
        if(c->action == rooms::document_action::remove)
            stored = documents_->put(field, c->version, c->node, {}, true);
        else
        {
            rooms::document_change kept;
            kept.index = c->index;
            kept.collection = c->collection;
            kept.action = rooms::document_action::replace;
            kept.id = c->id;
            kept.after = std::move(c->after);
            kept.node = c->node;
            kept.timestamp = c->timestamp;
            kept.version = c->version;
            kept.silent = true;
            stored = documents_->put(field, c->version, c->node, rooms::document_change_json(kept));
        }
        if(!stored && !documents_warned_)
        {
            documents_warned_ = true;
            say("cluster: Kuzzle documents not stored in Redis (unreachable, or too many writes unanswered): nodes that "
                "start later will not have them");
        }
    }

    /// Gives the store here every document of `<channel>:documents` (the newer ones take their place, nobody is notified).
    void load_documents()
    {
        documents_warned_ = false;
        auto count = std::make_shared<std::size_t>(0);
        documents_->read_all(
            [this, count](std::string_view, std::string_view change) {
                ++*count;
                first().deliver_service_event(std::string(change));
            },
            [this, count](bool ok) {
                if(!ok)
                    return say("cluster: could not read " + documents_->key() + " from Redis");
                if(*count != 0)
                    say("cluster: " + std::to_string(*count) + " Kuzzle documents read from " + documents_->key());
            });
    }

    /** Keeps an MQTT message retained here in `<channel>:retained` (field:
        its topic), versioned by the time in milliseconds, so the latest
        retain wins; `body` empty (an empty payload) clears the topic.
    */
    void keep_retained(std::string_view topic, std::string_view body)
    {
        using namespace std::chrono;
        auto const now = static_cast<std::uint64_t>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
        if(!retained_->put(topic, now, bus_->node_id(), body, body.empty()) && !retained_warned_)
        {
            retained_warned_ = true;
            say("cluster: an MQTT retained message not stored in Redis (unreachable, or too many writes unanswered): "
                "nodes that start later will not have it");
        }
    }

    /// Gives the MQTT broker here every message of `<channel>:retained` whose topic has none retained here.
    void load_retained()
    {
        retained_warned_ = false;
        auto count = std::make_shared<std::size_t>(0);
        retained_->read_all(
            [this, count](std::string_view topic, std::string_view body) {
                auto const r = rtnotify::cluster::read_mqtt_body(body);
                auto const* m = std::get_if<rtnotify::cluster::mqtt_message>(&r);
                if(!m || m->topic != topic)
                    return say("cluster: refused a retained message of " + retained_->key() + ": not an MQTT message of its topic");
                ++*count;
                first().keep_mqtt_retained(std::string(m->topic), std::string(m->payload), m->qos);
            },
            [this, count](bool ok) {
                if(!ok)
                    return say("cluster: could not read " + retained_->key() + " from Redis");
                if(*count != 0)
                    say("cluster: " + std::to_string(*count) + " MQTT retained messages read from " + retained_->key());
            });
    }

    /// Registers a registration another node made (from a frame or from Redis); logs one that is refused for another reason than being known.
    void register_remote(std::string_view text, std::string const& from)
    {
        auto const r = rtnotify::cluster::read_templates_body(text);
        if(!r)
        {
            ++undecodable_;
            return say("cluster: refused templates from " + from + ": no X-Id and owner lines");
        }
        first().register_remote_templates(std::string(r->xid), std::string(r->body), std::string(r->owner),
                                        [this, xid = std::string(r->xid), from, text = std::string(text)](std::string const& answer) {
                                            if(answer.starts_with("20,"))
                                                registrations_.insert(text);
                                            if(answer.starts_with("20,") || answer.find("already existing") != std::string::npos)
                                                return;
                                            auto const end = answer.find_last_not_of("\r\n");
                                            say("cluster: templates " + xid + " from " + from + " refused here: " +
                                                answer.substr(0, end == std::string::npos ? 0 : end + 1));
                                        });
    }

    /// Passes another node's frame on: a publish to the subscribers here, templates to the registry.
    void deliver(rtnotify::cluster::frame const& f)
    {
        if(f.kind == rtnotify::cluster::frame_kind::templates)
            return register_remote(f.body, "node " + std::string(f.node));
        if(f.kind == rtnotify::cluster::frame_kind::service)
            return first().deliver_service_event(std::string(f.body));
        if(f.kind == rtnotify::cluster::frame_kind::mqtt)
            return publish_mqtt(f);
        auto decoded = rtnotify::bayeux::decode(f.body);
        if(!decoded || decoded->size() != 1)
        {
            ++undecodable_;
            return say("cluster: refused a frame of node " + std::string(f.node) + ": " +
                       (decoded ? std::string("not one message") : decoded.error().to_string()));
        }
        for(std::size_t i = 1; i < group_->size(); ++i)
            group_->shard(i).publish_remote(decoded->front());
        first().publish_remote(std::move(decoded->front()));
    }

    /// Publishes another node's MQTT message to the MQTT subscribers here, or logs why its body is refused.
    void publish_mqtt(rtnotify::cluster::frame const& f)
    {
        auto const r = rtnotify::cluster::read_mqtt_body(f.body);
        if(auto const* e = std::get_if<rtnotify::cluster::frame_error>(&r))
        {
            ++undecodable_;
            return say("cluster: refused an MQTT message of node " + std::string(f.node) + ": " + e->message());
        }
        auto const& m = std::get<rtnotify::cluster::mqtt_message>(r);
        first().publish_mqtt_remote(std::string(m.topic), std::string(m.payload), m.qos, m.retain);
    }

    std::vector<rtnotify::beast::metric_family> metrics() const
    {
        if(!bus_)
            return {};
        auto const& c = bus_->counters();
        auto counter = [](char const* name, char const* help, std::uint64_t v) {
            return rtnotify::beast::metric_family{name, help, rtnotify::beast::metric_kind::counter, {{"", v}}, {}};
        };
        return {
            {"rtnotify_cluster_up", "1 when both connections to Redis are open and subscribed.",
             rtnotify::beast::metric_kind::gauge, {{"", c.up ? 1u : 0u}}, {}},
            counter("rtnotify_cluster_published_total", "Publishes Redis acknowledged.", c.published),
            counter("rtnotify_cluster_not_forwarded_total",
                    "Publishes this node could not hand to Redis, or that Redis did not acknowledge before the connection was lost.",
                    c.not_forwarded),
            counter("rtnotify_cluster_received_total", "Publishes of other nodes received.", c.received),
            counter("rtnotify_cluster_missed_total", "Publishes of other nodes that never arrived.", c.missed),
            counter("rtnotify_cluster_repeated_total", "Publishes of other nodes received twice or out of order, dropped.",
                    c.repeated),
            counter("rtnotify_cluster_refused_total",
                    "Texts on the channel that are not frames, frames of another process using this node's id, or bodies "
                    "not what their kind carries.",
                    c.refused + undecodable_),
            counter("rtnotify_cluster_restarts_total", "Other nodes seen starting again under the same node id.", c.restarts),
            counter("rtnotify_cluster_reconnects_total", "Attempts to connect to Redis again after a connection failed or was lost.",
                    c.reconnects),
            counter("rtnotify_cluster_documents_not_stored_total",
                    "Kuzzle document changes not kept in Redis: unreachable, too many writes unanswered, or refused.",
                    documents_->not_stored()),
            counter("rtnotify_cluster_retained_not_stored_total",
                    "MQTT retained messages not kept in Redis: unreachable, too many writes unanswered, or refused.",
                    retained_->not_stored()),
        };
    }

    void say(std::string const& line) const
    {
        if(log_)
            log_(line);
    }

    rtnotify::redis::bus_options opts_;
    std::function<void(std::string_view)> log_;
    /// Before bus_: destroyed after it, whose connections answer its writes when they close.
    std::unique_ptr<rtnotify::redis::versioned_hash> documents_;
    std::unique_ptr<rtnotify::redis::versioned_hash> retained_;
    std::unique_ptr<rtnotify::redis::bus> bus_;
    // each logged once per outage: since the publishing connection last opened
    bool documents_warned_ = false; ///< a Kuzzle document was not stored in Redis
    bool retained_warned_ = false;  ///< an MQTT retained message was not stored in Redis
    rtnotify::beast::server_group* group_ = nullptr;
    std::uint64_t undecodable_ = 0;
    std::set<std::string> registrations_; ///< the registrations this node holds (its own and others'), as `templates_body` texts
};

#endif
