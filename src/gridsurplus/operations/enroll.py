"""Enrolment: the plan's sites become VEN clients, ven and resource objects on the VTN.

One program carries the surplus-power product: payload descriptors ``IMPORT_CAPACITY_LIMIT``
(KW) and ``PRICE`` (per KWH, in the dataset's currency), and the programme's facts as
attributes (dataset, time zone, currency, exchange rate). Each site gets its own VEN client
(created in the database, its secret shown once, in the credentials file), a ven object named
after the site and one resource of the same name, both granted the targets that let it see the
program and its own events: :data:`PROGRAM_TARGET`, ``site:<site>``, ``region:<region>`` and
``kind:<kind>``. The site's region, technology, kind and MW ride as ven attributes, so the
schedule reads the enrolled fleet from the server alone.

Enrolment may be run again: the program and sites already enrolled are kept (and not given
new secrets); only new sites are added.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from gridsurplus.operations import audit
from gridsurplus.operations.events import payload_descriptors, site_target
from gridsurplus.operations.vtn_client import NotEnrolledError, VtnClient

PROGRAM_NAME = "gridsurplus-surplus-power"
PROGRAM_TARGET = "programme:surplus-power"


def attributes(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """OpenADR ``valuesMap`` list from a mapping of type to value."""
    return [{"type": k, "values": [v]} for k, v in values.items()]


def attribute(obj: Mapping[str, Any], name: str, default: Any = None) -> Any:
    """The first value of an object's attribute ``name``."""
    for item in obj.get("attributes") or []:
        if item.get("type") == name and item.get("values"):
            return item["values"][0]
    return default


def program_body(headline: Mapping[str, Any], timezone: str) -> dict[str, Any]:
    """The surplus-power program request body."""
    currency = str(headline.get("currency", "PKR"))
    return {
        "programName": PROGRAM_NAME,
        "payloadDescriptors": payload_descriptors(currency),
        "attributes": attributes(
            {
                "DATASET": str(headline.get("dataset", "")),
                "TIMEZONE": timezone,
                "CURRENCY": currency,
                "EXCHANGE_RATE": float(headline.get("exchange_rate", 1.0)),
            }
        ),
        "targets": [PROGRAM_TARGET],
    }


def site_targets(row: Mapping[str, Any]) -> list[str]:
    """Targets granted to a site: the program's, its own, its region's and its kind's."""
    return [
        PROGRAM_TARGET,
        site_target(row["site"]),
        f"region:{row['region']}",
        f"kind:{row['kind']}",
    ]


def enroll(
    bl: VtnClient,
    fleet: pd.DataFrame,
    headline: Mapping[str, Any],
    timezone: str,
    create_client: Callable[[str, str], tuple[str, str]],
    engine: Any,
) -> dict[str, Any]:
    """Create the program and every site not yet enrolled.

    Parameters
    ----------
    bl : VtnClient
        The operator's client.
    fleet : pandas.DataFrame
        Sites (``site``, ``region``, ``tech``, ``kind``, ``mw`` [MW]).
    headline : dict
        The plan's ``plan.json`` (dataset, currency, exchange rate).
    timezone : str
        The dataset's time zone.
    create_client : callable
        ``(name, role) -> (client_id, client_secret)`` in the VTN's database.
    engine : sqlalchemy.Engine
        The database, for the audit log.

    Returns
    -------
    dict
        ``program_id`` and ``sites``: for each newly enrolled site its ``client_id``,
        ``client_secret``, ``ven_id``, ``resource_id``, ``region``, ``kind`` and ``mw``.
    """
    program = find_program(bl)
    if program is None:
        program = bl.post("/programs", program_body(headline, timezone))
        audit.append(engine, "program", program["id"], program, bl.client_id)
    known = {v["venName"] for v in bl.all("/vens")}
    sites: dict[str, Any] = {}
    for row in fleet.to_dict("records"):
        if row["site"] in known:
            continue
        client_id, secret = create_client(f"site {row['site']}", "ven")
        targets = site_targets(row)
        ven = bl.post(
            "/vens",
            {
                "objectType": "BL_VEN_REQUEST",
                "clientID": client_id,
                "venName": row["site"],
                "targets": targets,
                "attributes": attributes(
                    {
                        "SITE_REGION": row["region"],
                        "SITE_TECH": row["tech"],
                        "SITE_KIND": row["kind"],
                        "SITE_MW": float(row["mw"]),
                    }
                ),
            },
        )
        resource = bl.post(
            "/resources",
            {
                "objectType": "BL_RESOURCE_REQUEST",
                "clientID": client_id,
                "resourceName": row["site"],
                "venID": ven["id"],
                "targets": targets,
                "attributes": attributes({"MAX_POWER_KW": float(row["mw"]) * 1000.0}),
            },
        )
        audit.append(engine, "ven", ven["id"], ven, bl.client_id)
        sites[row["site"]] = {
            "client_id": client_id,
            "client_secret": secret,
            "ven_id": ven["id"],
            "resource_id": resource["id"],
            "region": row["region"],
            "kind": row["kind"],
            "mw": float(row["mw"]),
        }
    return {"program_id": program["id"], "sites": sites}


def find_program(bl: VtnClient) -> dict[str, Any] | None:
    """The surplus-power program, if it exists."""
    for program in bl.all("/programs"):
        if program.get("programName") == PROGRAM_NAME:
            return program
    return None


def enrolled(bl: VtnClient) -> tuple[dict[str, Any], pd.DataFrame]:
    """The program and the enrolled fleet as the server holds them.

    Returns
    -------
    (dict, pandas.DataFrame)
        The program, and one row per site: ``site``, ``region``, ``tech``, ``kind``, ``mw``
        [MW], ``client_id``, ``ven_id``.
    """
    program = find_program(bl)
    if program is None:
        raise NotEnrolledError(
            "no surplus-power program on this VTN: run gridsurplus operate enroll first"
        )
    rows = [
        {
            "site": v["venName"],
            "region": attribute(v, "SITE_REGION"),
            "tech": attribute(v, "SITE_TECH"),
            "kind": attribute(v, "SITE_KIND"),
            "mw": float(attribute(v, "SITE_MW", 0.0)),
            "client_id": v.get("clientID"),
            "ven_id": v["id"],
        }
        for v in bl.all("/vens")
        if attribute(v, "SITE_KIND") in ("mining", "ai")
    ]
    return program, pd.DataFrame(
        rows, columns=["site", "region", "tech", "kind", "mw", "client_id", "ven_id"]
    )


def write_credentials(path: str | Path, credentials: Mapping[str, Any]) -> Path:
    """Write credentials as JSON readable and writable by the owner only (mode 0600).

    An existing file is merged: sites already in it keep their entries.
    """
    path = Path(path)
    merged: dict[str, Any] = {}
    if path.exists():
        merged = json.loads(path.read_text(encoding="utf-8"))
    merged.update({k: v for k, v in credentials.items() if k != "sites"})
    merged["sites"] = {**merged.get("sites", {}), **credentials.get("sites", {})}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=2)
    os.chmod(path, 0o600)
    return path


__all__ = [
    "PROGRAM_NAME",
    "PROGRAM_TARGET",
    "attribute",
    "attributes",
    "enroll",
    "enrolled",
    "find_program",
    "program_body",
    "site_targets",
    "write_credentials",
]
