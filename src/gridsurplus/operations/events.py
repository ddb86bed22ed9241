"""The OpenADR event bodies of the surplus-power product: targets, payloads, report requests.

A day-ahead event carries 24 hourly intervals, each with ``IMPORT_CAPACITY_LIMIT`` [kW] and
``PRICE`` [currency per kWh], and asks for hourly ``USAGE`` [kWh] of every interval. Each
event targets one site, ``site:<site>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gridsurplus.operations.timeline import LIMIT, PRICE, format_time

if TYPE_CHECKING:
    from gridsurplus.operations.schedule import DaySchedule


def day_ahead_event(
    program_id: str, site: str, schedule: DaySchedule, priority: int
) -> dict[str, Any]:
    """The OpenADR event of one site's day: 24 hourly limits and prices, usage asked hourly.

    Parameters
    ----------
    program_id : str
        The surplus-power program's id.
    site : str
        The site (its target is ``site:<site>``).
    schedule : DaySchedule
        The day's schedule.
    priority : int
        The event's priority number (see :mod:`gridsurplus.operations.timeline`).

    Returns
    -------
    dict
        The event request body.
    """
    limits = schedule.allowance_kw[site]
    prices = schedule.price[site]
    return {
        "programID": program_id,
        "eventName": f"day-ahead {schedule.day.isoformat()} {site}",
        "priority": int(priority),
        "targets": [site_target(site)],
        "payloadDescriptors": payload_descriptors(schedule.currency),
        "reportDescriptors": [usage_report_descriptor()],
        "intervalPeriod": {"start": format_time(schedule.hours_utc[0]), "duration": "PT1H"},
        "intervals": [
            {
                "id": h,
                "payloads": [
                    {"type": LIMIT, "values": [float(limits.iloc[h])]},
                    {"type": PRICE, "values": [float(prices.iloc[h])]},
                ],
            }
            for h in range(len(limits))
        ],
    }


def site_target(site: str) -> str:
    """The target string that reaches one site."""
    return f"site:{site}"


def payload_descriptors(currency: str) -> list[dict[str, Any]]:
    """The surplus-power product's event payloads: limit in KW, price per KWH."""
    return [
        {"objectType": "EVENT_PAYLOAD_DESCRIPTOR", "payloadType": LIMIT, "units": "KW"},
        {
            "objectType": "EVENT_PAYLOAD_DESCRIPTOR",
            "payloadType": PRICE,
            "units": "KWH",
            "currency": currency,
        },
    ]


def usage_report_descriptor() -> dict[str, Any]:
    """Ask for hourly ``USAGE`` [kWh] of every interval, per resource."""
    return {
        "payloadType": "USAGE",
        "readingType": "DIRECT_READ",
        "units": "KWH",
        "aggregate": False,
        "startInterval": -1,
        "numIntervals": -1,
        "historical": True,
        "frequency": 1,
        "repeat": -1,
    }


__all__ = ["day_ahead_event", "payload_descriptors", "site_target", "usage_report_descriptor"]
