// Transition tables of the engines' explicit state machines: a row type and the lookup of a row.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_DETAIL_TRANSITION_TABLE_HPP
#define RTNOTIFY_DETAIL_TRANSITION_TABLE_HPP

#include <cstddef>
#include <optional>

namespace rtnotify::detail {

/// One row of a transition table: `trigger` in state `from` leads to `to`.
template<class State, class Trigger>
struct transition
{
    State from;
    Trigger trigger;
    State to;
};

/// The state `trigger` leads to from `from` in `table`, or nothing when the table has no such row.
template<class State, class Trigger, std::size_t N>
constexpr std::optional<State> next_state(transition<State, Trigger> const (&table)[N], State from,
                                          Trigger trigger) noexcept
{
    for(auto const& t : table)
        if(t.from == from && t.trigger == trigger)
            return t.to;
    return std::nullopt;
}

} // namespace rtnotify::detail

#endif
