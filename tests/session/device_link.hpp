// An in-memory link between one smartrest_bridge (on a session::server) and many session::device,
// under a virtual clock, that can lose request bodies and responses at random.
// SPDX-License-Identifier: BSL-1.0
//
#ifndef RTNOTIFY_TESTS_SESSION_DEVICE_LINK_HPP
#define RTNOTIFY_TESTS_SESSION_DEVICE_LINK_HPP

#include <rtnotify/session/device.hpp>
#include <rtnotify/session/smartrest_bridge.hpp>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace rtnotify_test {

namespace ss = rtnotify::session;
namespace sr = rtnotify::smartrest;

/// Cumulocity's alarm notification for alarm `id` (`{"realtimeAction":"CREATE","data":{...}}`).
inline std::string alarm_notification(std::string_view id, std::string_view severity = "MAJOR")
{
    return R"({"realtimeAction":"CREATE","data":{"id":")" + std::string(id) + R"(","text":"t","severity":")" +
           std::string(severity) + R"("}})";
}

struct device_link
{
    /// Templates every server of the link has: `alarms` renders `102,<line>,<id>,<severity>`,
    /// `ops` renders `811,<line>,<id>` for an operation.
    static void register_templates(ss::smartrest_bridge& b)
    {
        b.register_templates("alarms", "11,102,$,$.severity,$.id,$.severity\n", "device");
        b.register_templates("ops", "11,811,$,$.c8y_Restart,$.id\n", "device");
    }

    ss::server_options server_options;
    std::unique_ptr<ss::server> srv;
    std::unique_ptr<sr::registry> templates;
    std::unique_ptr<ss::smartrest_bridge> bridge;
    std::vector<std::unique_ptr<ss::device>> devices;
    std::vector<std::vector<ss::device_event>> events; ///< per device, everything it reported
    ss::time_point now{};
    std::mt19937_64 rng{42};
    double lose_request = 0; ///< probability that a body never reaches the server
    double lose_reply = 0;   ///< probability that the server's response never reaches the device
    /// Probability that the device gives up on a response that arrives anyway up to 10 s later,
    /// after what it sent since (a slow network): the same batch may then come twice.
    double late_reply = 0;
    /// Called with each body the bridge is about to receive, and the device it comes from.
    std::function<void(std::size_t, std::string const&)> on_request;

    explicit device_link(ss::server_options o = {}) : server_options(std::move(o)) { restart_server(); }

    std::size_t add_device(ss::device_options o)
    {
        devices.push_back(std::make_unique<ss::device>(std::move(o)));
        events.emplace_back();
        return devices.size() - 1;
    }

    ss::device& device(std::size_t i) { return *devices.at(i); }

    /// Posts every body that is due and routes the responses, until nothing moves.
    void pump()
    {
        for(bool moved = true; moved;)
        {
            moved = false;
            for(std::size_t i = 0; i < devices.size(); ++i)
                while(auto r = devices[i]->next_request(now))
                {
                    moved = true;
                    if(coin(lose_request))
                    {
                        devices[i]->fail(r->id, now);
                        continue;
                    }
                    auto const ex = next_exchange_++;
                    auto const lose = coin(lose_reply);
                    inflight_[ex] = {i, r->id, lose, !lose && coin(late_reply)};
                    if(on_request)
                        on_request(i, r->body);
                    bridge->receive(ex, r->xid, r->body, now, "device" + std::to_string(i));
                    route();
                }
            collect_events();
        }
    }

    /// Moves the clock forward by `d`, firing the timers of the server and the devices on the way.
    void advance(ss::duration d)
    {
        auto const target = now + d;
        while(true)
        {
            auto next = srv->next_deadline();
            for(auto const& l : late_)
                if(!next || l.at < *next)
                    next = l.at;
            for(auto& c : devices)
                if(auto t = c->next_deadline(); t && (!next || *t < *next))
                    next = t;
            if(!next || *next > target)
                break;
            now = std::max(now, *next);
            deliver_late();
            srv->on_timer(now);
            route();
            for(auto& c : devices)
                c->on_timer(now);
            pump();
        }
        now = target;
        deliver_late();
        pump();
    }

    /// The application publishes a notification on `channel`; what it releases is routed at once.
    void publish(std::string channel, std::string_view json)
    {
        rtnotify::bayeux::message m;
        m.channel = std::move(channel);
        m.data = boost::json::parse(json);
        srv->publish(std::move(m), now);
        route();
        pump();
    }

    /// The server restarts with its templates (a fresh registry): sessions and held connects are gone;
    /// open requests fail.
    void restart_server()
    {
        bridge.reset();
        srv = std::make_unique<ss::server>(server_options);
        templates = std::make_unique<sr::registry>();
        bridge = std::make_unique<ss::smartrest_bridge>(*srv, *templates);
        register_templates(*bridge);
        auto lost = std::exchange(inflight_, {});
        for(auto const& [ex, f] : lost)
            devices[f.device]->fail(f.request, now);
        pump();
    }

    /// The rows device `i` reported so far, as `xid:msgid,values...` strings.
    std::vector<std::string> rows(std::size_t i) const
    {
        std::vector<std::string> out;
        for(auto const& e : events[i])
            if(auto const* r = std::get_if<ss::rows_received>(&e))
                for(auto const& row : r->group.rows)
                {
                    auto s = r->group.xid + ":" + std::to_string(row.msg_id);
                    for(auto const& v : row.values)
                        s += "," + v;
                    out.push_back(std::move(s));
                }
        return out;
    }

    /// The states device `i` went through.
    std::vector<ss::device_state> states(std::size_t i) const
    {
        std::vector<ss::device_state> out;
        for(auto const& e : events[i])
            if(auto const* s = std::get_if<ss::device_state_changed>(&e))
                out.push_back(s->state);
        return out;
    }

private:
    struct flight
    {
        std::size_t device = 0;
        std::uint64_t request = 0;
        bool lose = false;
        bool late = false;
    };

    struct late_response
    {
        std::size_t device = 0;
        std::uint64_t request = 0;
        std::string body;
        ss::time_point at; ///< when it arrives
    };

    void deliver_late()
    {
        auto const due = std::stable_partition(late_.begin(), late_.end(), [&](late_response const& l) { return l.at > now; });
        std::vector<late_response> now_due(std::make_move_iterator(due), std::make_move_iterator(late_.end()));
        late_.erase(due, late_.end());
        for(auto& l : now_due)
            devices[l.device]->receive(l.request, l.body, now);
        collect_events();
    }

    bool coin(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < p; }

    void route()
    {
        bridge->take_actions(responses_, others_);
        others_.clear();
        for(auto& r : std::exchange(responses_, {}))
        {
            auto it = inflight_.find(r.exchange);
            if(it == inflight_.end())
                continue;
            auto const f = it->second;
            inflight_.erase(it);
            if(f.lose || f.late)
                devices[f.device]->fail(f.request, now);
            if(f.late)
                late_.push_back({f.device, f.request, std::move(r.body),
                                 now + ss::duration(std::uniform_int_distribution<int>(0, 10000)(rng))});
            else if(!f.lose)
                devices[f.device]->receive(f.request, r.body, now);
        }
    }

    void collect_events()
    {
        for(std::size_t i = 0; i < devices.size(); ++i)
            for(auto& e : devices[i]->take_events())
                events[i].push_back(std::move(e));
    }

    std::unordered_map<ss::exchange_id, flight> inflight_;
    std::vector<ss::smartrest_response> responses_;
    std::vector<ss::server_action> others_;
    std::vector<late_response> late_;
    ss::exchange_id next_exchange_ = 1;
};

} // namespace rtnotify_test

#endif
