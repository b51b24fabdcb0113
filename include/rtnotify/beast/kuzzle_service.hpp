// Kuzzle's WebSocket API as a ws_service, on rooms::kuzzle_api.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_KUZZLE_SERVICE_HPP
#define RTNOTIFY_BEAST_KUZZLE_SERVICE_HPP

#include <rtnotify/beast/detail/saturating.hpp>
#include <rtnotify/beast/ws_service.hpp>
#include <rtnotify/rooms/document_change_json.hpp>
#include <rtnotify/rooms/kuzzle_api.hpp>
#include <rtnotify/rooms/presence_json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify::beast {

/** Kuzzle's WebSocket API (`rooms::kuzzle_api`: filter rooms, the realtime
    and document controllers) as a `ws_service` of `beast::server`, and its
    HTTP API when it is the server's `http_api`.

    Needs the filter rooms: link `rtnotify::rooms` as well as `rtnotify::beast`.
    @code
    rtnotify::beast::server_options opts;
    auto kuzzle = std::make_shared<rtnotify::beast::kuzzle_service>();
    opts.ws_services.emplace("/", kuzzle);
    opts.http_api = kuzzle; // Kuzzle's HTTP routes, on the same rooms and documents
    @endcode
*/
class kuzzle_service : public ws_service
{
public:
    explicit kuzzle_service(rooms::kuzzle_api_options opts = {}) : api_(std::move(opts)) {}

    std::vector<ws_text> on_text(std::uint64_t ws, std::string_view text, std::string_view protocol) override
    {
        return api_.receive(ws, text, now_ms(), protocol);
    }

    std::vector<ws_text> on_close(std::uint64_t ws) override { return api_.disconnect(ws, now_ms()); }

    void on_open(std::uint64_t ws, std::string_view address) override { api_.open(ws, std::string(address)); }

    /// Kuzzle's HTTP API (`rooms::kuzzle_request_of`): what it writes notifies the WebSockets.
    std::optional<service_http_answer> on_http(service_http_request const& r) override
    {
        auto a = api_.receive_http({r.method, r.target, r.body, r.authorization, r.kuzzle_volatile}, std::string(r.address),
                                   now_ms());
        return service_http_answer{static_cast<unsigned>(a.status), std::move(a.body), std::move(a.texts)};
    }

    /// The connections whose token expired get Kuzzle's TokenExpired notification and leave their rooms.
    std::vector<ws_text> on_tick() override { return api_.expire(now_ms()); }

    /** The document changes and realtime publishes made here, then who
        entered and left the rooms here and now and then the counts of every
        room (with `keep_changes`), as JSON texts.
    */
    std::vector<std::string> take_cluster_events() override
    {
        std::vector<std::string> out;
        for(auto const& c : api_.take_changes())
            out.push_back(rooms::document_change_json(c));
        for(auto& p : api_.take_presence(now_ms()))
            out.push_back(std::move(p));
        return out;
    }

    /** Another node's event: a change, with the notifications it causes in
        the rooms here, or a presence change or snapshot (a text starting
        with `rooms::presence_prefix`), kept for the counts; a text that is
        neither is counted and ignored.
    */
    std::vector<ws_text> on_cluster_event(std::string_view event) override
    {
        auto const depth = api_.options().max_json_depth;
        if(event.starts_with(rooms::presence_prefix))
        {
            auto p = rooms::read_presence(event, depth);
            if(auto* change = std::get_if<rooms::presence_change>(&p))
                return api_.apply_remote_presence(*change, now_ms());
            if(auto* snapshot = std::get_if<rooms::presence_snapshot>(&p))
            {
                api_.apply_remote_snapshot(*snapshot, now_ms());
                return {};
            }
        }
        else
        {
            auto c = rooms::read_document_change(event, depth);
            if(auto* change = std::get_if<rooms::document_change>(&c))
                return api_.apply_remote_change(*change);
        }
        ++refused_events_;
        return {};
    }

    /// Events of other nodes that were neither document changes nor presence (see `on_cluster_event`).
    std::uint64_t refused_cluster_events() const noexcept { return refused_events_; }

    /// Rooms, subscriptions, documents and the store's bytes.
    std::vector<metric_family> metrics() const override
    {
        auto gauge = [](char const* name, char const* help, std::size_t value) {
            return metric_family{name, help, metric_kind::gauge, {{"", value}}, {}};
        };
        auto counter = [](char const* name, char const* help, std::uint64_t value) {
            return metric_family{name, help, metric_kind::counter, {{"", value}}, {}};
        };
        return {gauge("rtnotify_kuzzle_rooms", "Kuzzle filter rooms.", api_.rooms().size()),
                gauge("rtnotify_kuzzle_subscriptions", "Kuzzle subscriptions of every connection.", api_.subscription_count()),
                gauge("rtnotify_kuzzle_documents", "Documents in Kuzzle's in-memory store.", api_.document_count()),
                gauge("rtnotify_kuzzle_store_bytes", "Bytes of the stored documents, as max_store_bytes counts them.",
                      api_.store_bytes()),
                gauge("rtnotify_kuzzle_remote_room_counts",
                      "Rooms of other nodes of the cluster with subscribers, one per node and room.", api_.remote().entries()),
                gauge("rtnotify_kuzzle_remote_nodes", "Other nodes of the cluster that report their rooms.",
                      api_.remote().nodes()),
                counter("rtnotify_kuzzle_remote_counts_refused_total",
                        "Reports of other nodes' rooms refused: past the bounds of the counts kept.", api_.remote().refused()),
                counter("rtnotify_kuzzle_cluster_events_refused_total",
                        "Events of other nodes that were neither document changes nor presence, or not readable.",
                        refused_events_),
                counter("rtnotify_kuzzle_replicas_refused_total",
                        "Documents other nodes wrote that this node's store could not take (its limits).",
                        api_.replicas_refused()),
                counter("rtnotify_kuzzle_silent_nodes_total",
                        "Other nodes forgotten, with their rooms' counts, after three snapshot intervals without a word.",
                        api_.silent_nodes())};
    }

    /** The store (twice its counted bytes, with 256 per document), the
        rooms (four times their counted bytes: the compiled filter and its
        index) and 256 bytes per subscription: what rtnotify-server was
        measured to keep per counted byte, with room to spare; with a
        security configuration, 256 bytes per address whose failed logins
        are counted and 128 per logged-out token remembered; in a cluster,
        twice the bytes of the other nodes' room counts.
    */
    std::size_t memory_bound() const override
    {
        auto const& o = api_.options();
        auto const login = o.security ? o.security->login : auth::login_limits{0, 0, 0, 0};
        return detail::saturating_sum({detail::saturating_product(2, o.max_store_bytes),
                                       detail::saturating_product(256, o.max_documents),
                                       detail::saturating_product(4, o.max_rooms_bytes),
                                       detail::saturating_product(256, o.max_total_subscriptions),
                                       detail::saturating_product(256, login.max_addresses),
                                       detail::saturating_product(128, login.max_revoked),
                                       o.keep_changes ? detail::saturating_product(2, o.remote_counts.max_bytes) : 0});
    }

    /// The API, for inspection (on the server's strand only).
    rooms::kuzzle_api const& api() const noexcept { return api_; }

private:
    static std::int64_t now_ms()
    {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }

    rooms::kuzzle_api api_;
    std::uint64_t refused_events_ = 0;
};

} // namespace rtnotify::beast

#endif
