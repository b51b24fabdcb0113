// Umbrella header of the MQTT 3.1.1 codec.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_HPP
#define RTNOTIFY_MQTT_HPP

/// MQTT 3.1.1: packets, their decoder and encoder, topic names and filters, the broker engine.

#include <rtnotify/mqtt/broker.hpp>
#include <rtnotify/mqtt/broker_action.hpp>
#include <rtnotify/mqtt/broker_options.hpp>
#include <rtnotify/mqtt/connection_state.hpp>
#include <rtnotify/mqtt/decode.hpp>
#include <rtnotify/mqtt/decode_options.hpp>
#include <rtnotify/mqtt/diagnostic.hpp>
#include <rtnotify/mqtt/encode.hpp>
#include <rtnotify/mqtt/error.hpp>
#include <rtnotify/mqtt/packet.hpp>
#include <rtnotify/mqtt/reader.hpp>
#include <rtnotify/mqtt/topic.hpp>

#endif
