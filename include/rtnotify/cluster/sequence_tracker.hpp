// Counts, per publishing node, the frames a receiver missed or saw twice, from their sequence numbers.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CLUSTER_SEQUENCE_TRACKER_HPP
#define RTNOTIFY_CLUSTER_SEQUENCE_TRACKER_HPP

#include <rtnotify/detail/string_hash.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rtnotify::cluster {

/// What a frame's sequence number says about the frames before it.
struct sequence_verdict
{
    bool deliver = true;       ///< false: a frame seen before (or older than one seen): drop it
    std::uint64_t missed = 0;  ///< frames of its node that never arrived between the last one and it
    bool first_seen = false;   ///< the first frame from this node (nothing before it is counted as missed)
    bool restarted = false;    ///< the first frame of a new incarnation of a node known here (it counts from there)
};

/** The last sequence number seen from each node, within `max_nodes`.

    A node numbers its frames 1, 2, 3…; a receiver that sees 7 after 4 lost
    5 and 6 (Redis pub/sub does not keep what a disconnected subscriber
    missed), and one that sees 4 after 7 sees a frame again or out of order,
    which it drops. A node that restarts under the same id has a new
    incarnation and numbers from 1 again: its first frame starts it over.

    The first frame of a node is taken as it comes: frames before it were
    published before this receiver listened. When `max_nodes` nodes are
    known, a new one replaces the one heard from least recently (a node
    that went away); its frames would count as first seen again.
*/
class sequence_tracker
{
public:
    /// Tracks at most `max_nodes` nodes (at least 1).
    explicit sequence_tracker(std::size_t max_nodes = 256) : max_nodes_(max_nodes ? max_nodes : 1) {}

    /// Records `sequence` from `incarnation` of `node` and says whether to deliver it and what was missed before it.
    sequence_verdict record(std::string_view node, std::string_view incarnation, std::uint64_t sequence)
    {
        ++clock_;
        auto it = last_.find(node);
        if(it == last_.end())
        {
            if(last_.size() >= max_nodes_)
                forget_least_recent();
            last_.emplace(std::string(node), seen{std::string(incarnation), sequence, clock_});
            return {true, 0, true, false};
        }
        auto& s = it->second;
        s.heard = clock_;
        if(s.incarnation != incarnation)
        {
            s.incarnation = incarnation;
            s.sequence = sequence;
            return {true, 0, false, true};
        }
        if(sequence <= s.sequence)
            return {false, 0, false};
        auto const missed = sequence - s.sequence - 1;
        s.sequence = sequence;
        return {true, missed, false};
    }

    /// The nodes tracked now.
    std::size_t size() const noexcept { return last_.size(); }

private:
    struct seen
    {
        std::string incarnation;
        std::uint64_t sequence = 0;
        std::uint64_t heard = 0; ///< `clock_` when its last frame came
    };

    void forget_least_recent()
    {
        auto oldest = last_.begin();
        for(auto it = last_.begin(); it != last_.end(); ++it)
            if(it->second.heard < oldest->second.heard)
                oldest = it;
        last_.erase(oldest);
    }

    std::size_t max_nodes_;
    std::uint64_t clock_ = 0;
    std::unordered_map<std::string, seen, rtnotify::detail::string_hash, std::equal_to<>> last_;
};

} // namespace rtnotify::cluster

#endif
