// Fuzz target for what the cluster bus reads from Redis: frames, what they carry, their sequence numbers, and Redis URLs.
// SPDX-License-Identifier: BSL-1.0
//
// The first byte picks the mode:
// - even: the rest is split at each 0xff byte into the texts a node
//   receives in turn; each that decodes must encode back to the same bytes
//   (a templates frame's registration, a service frame's Kuzzle change or
//   presence change and an mqtt frame's message too; a presence snapshot
//   names only room ids with subscribers), carry a valid node id, incarnation and
//   sequence number of at least 1, and go through a sequence tracker of 4
//   nodes, whose verdicts must agree with a model kept here (the last
//   incarnation and number per node; a node it forgot, or a new
//   incarnation, starts over);
// - odd: the rest is a `--redis` URL; an address it gives has a host or an
//   absolute unix path, and a display form without the password.
#include <rtnotify/cluster/frame.hpp>
#include <rtnotify/cluster/mqtt_body.hpp>
#include <rtnotify/cluster/sequence_tracker.hpp>
#include <rtnotify/redis/address.hpp>
#include <rtnotify/rooms/document_change_json.hpp>
#include <rtnotify/rooms/presence_json.hpp>

#include "fuzz_support.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace cl = rtnotify::cluster;
using rtnotify_fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if(size == 0)
        return 0;
    std::string_view rest(reinterpret_cast<char const*>(data + 1), size - 1);
    if(data[0] % 2 == 1)
    {
        auto const r = rtnotify::redis::parse_address(rest);
        if(auto const* a = std::get_if<rtnotify::redis::address>(&r))
        {
            check(!a->host.empty() || (a->unix_path.size() > 1 && a->unix_path[0] == '/'), "a host or an absolute path", rest);
            check(a->port != 0, "a port from 1", rest);
            if(a->password && !a->password->empty())
                check(a->display().find(a->user + ":" + *a->password + "@") == std::string::npos,
                      "the display form leaves the password out", rest);
            check(a->display().find_first_of("\r\n") == std::string::npos, "a display form fit for a log line", rest);
        }
        return 0;
    }
    cl::sequence_tracker tracker(4);
    std::map<std::string, std::pair<std::string, std::uint64_t>> last; // the model: incarnation and number per node
    while(!rest.empty())
    {
        auto const cut = rest.find('\xff');
        auto const text = rest.substr(0, cut);
        rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
        auto const r = cl::decode_frame(text);
        if(auto const* e = std::get_if<cl::frame_error>(&r))
        {
            check(e->offset <= text.size(), "an error offset within the text", text);
            continue;
        }
        auto const& f = std::get<cl::frame>(r);
        check(cl::is_node_id(f.node) && cl::is_incarnation(f.incarnation) && f.sequence >= 1,
              "a valid node id, incarnation and sequence number", text);
        check(cl::encode_frame(f) == text, "a frame encodes back to its text", text);
        if(f.kind == cl::frame_kind::service && f.body.starts_with(rtnotify::rooms::presence_prefix))
        {
            auto const p = rtnotify::rooms::read_presence(f.body);
            if(auto const* c = std::get_if<rtnotify::rooms::presence_change>(&p))
            {
                auto const again = rtnotify::rooms::presence_change_json(*c);
                auto const back = rtnotify::rooms::read_presence(again);
                check(std::holds_alternative<rtnotify::rooms::presence_change>(back) &&
                          rtnotify::rooms::presence_change_json(std::get<rtnotify::rooms::presence_change>(back)) == again,
                      "a presence change reads back to itself", text);
            }
            if(auto const* snapshot = std::get_if<rtnotify::rooms::presence_snapshot>(&p))
                for(auto const& r : snapshot->rooms)
                    check(rtnotify::rooms::is_room_id(r.room_id) && r.count >= 1, "a snapshot names rooms with subscribers",
                          text);
        }
        else if(f.kind == cl::frame_kind::service)
        {
            auto const change = rtnotify::rooms::read_document_change(f.body);
            if(auto const* c = std::get_if<rtnotify::rooms::document_change>(&change))
            {
                auto const again = rtnotify::rooms::document_change_json(*c);
                auto const back = rtnotify::rooms::read_document_change(again);
                check(std::holds_alternative<rtnotify::rooms::document_change>(back) &&
                          rtnotify::rooms::document_change_json(std::get<rtnotify::rooms::document_change>(back)) == again,
                      "a Kuzzle change reads back to itself", text);
            }
        }
        if(f.kind == cl::frame_kind::mqtt)
        {
            auto const m = cl::read_mqtt_body(f.body);
            if(auto const* e = std::get_if<cl::frame_error>(&m))
                check(e->offset <= f.body.size(), "an MQTT body's error offset within the body", text);
            else
            {
                auto const& msg = std::get<cl::mqtt_message>(m);
                check(!msg.topic.empty() && msg.qos <= 2, "a topic and a QoS", text);
                check(cl::mqtt_body(msg) == f.body, "an MQTT body reads back to itself", text);
            }
        }
        if(f.kind == cl::frame_kind::templates)
            if(auto const reg = cl::read_templates_body(f.body))
                check(cl::templates_body(*reg) == f.body && reg->xid.find('\n') == std::string_view::npos &&
                          reg->owner.find('\n') == std::string_view::npos,
                      "a registration's body reads back to itself", text);
        auto const v = tracker.record(f.node, f.incarnation, f.sequence);
        std::string const node(f.node);
        if(v.first_seen)
        {
            last[node] = {std::string(f.incarnation), f.sequence};
            check(v.deliver && v.missed == 0 && !v.restarted, "a first frame is delivered, nothing missed", text);
            continue;
        }
        auto const it = last.find(node);
        check(it != last.end(), "a node the tracker knows was seen before", text);
        auto& [incarnation, number] = it->second;
        if(incarnation != f.incarnation)
        {
            check(v.restarted && v.deliver && v.missed == 0, "a new incarnation starts over", text);
            it->second = {std::string(f.incarnation), f.sequence};
        }
        else if(f.sequence <= number)
            check(!v.deliver && v.missed == 0 && !v.restarted, "an old number is dropped", text);
        else
        {
            check(v.deliver && v.missed == f.sequence - number - 1 && !v.restarted, "a gap counts what lies between",
                  text);
            number = f.sequence;
        }
        check(tracker.size() <= 4, "no more nodes than max_nodes", text);
    }
    return 0;
}
