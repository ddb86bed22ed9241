-- OpenADR 3.1 objects. Times are UTC text, fixed width (YYYY-MM-DDTHH:MM:SS.ffffffZ), so they
-- sort as they compare on SQLite and PostgreSQL alike; the spec fields of each object live in
-- body (JSON text), the columns beside it are the ones queries filter, join or order on.
CREATE TABLE client (
    client_id VARCHAR(128) PRIMARY KEY,
    name VARCHAR(128) NOT NULL UNIQUE,
    role VARCHAR(8) NOT NULL,
    secret_hash VARCHAR(128) NOT NULL,
    created VARCHAR(32) NOT NULL
);
CREATE TABLE access_token (
    token_hash VARCHAR(64) PRIMARY KEY,
    client_id VARCHAR(128) NOT NULL REFERENCES client (client_id) ON DELETE CASCADE,
    expires VARCHAR(32) NOT NULL
);
CREATE INDEX access_token_expires ON access_token (expires);
CREATE TABLE program (
    id VARCHAR(128) PRIMARY KEY,
    created VARCHAR(32) NOT NULL,
    modified VARCHAR(32) NOT NULL,
    program_name VARCHAR(128) NOT NULL UNIQUE,
    body TEXT NOT NULL
);
CREATE INDEX program_order ON program (created, id);
CREATE TABLE program_target (
    program_id VARCHAR(128) NOT NULL REFERENCES program (id) ON DELETE CASCADE,
    target VARCHAR(128) NOT NULL,
    PRIMARY KEY (program_id, target)
);
CREATE INDEX program_target_target ON program_target (target);
CREATE TABLE event (
    id VARCHAR(128) PRIMARY KEY,
    created VARCHAR(32) NOT NULL,
    modified VARCHAR(32) NOT NULL,
    program_id VARCHAR(128) NOT NULL REFERENCES program (id) ON DELETE CASCADE,
    body TEXT NOT NULL
);
CREATE INDEX event_order ON event (created, id);
CREATE INDEX event_program ON event (program_id);
CREATE TABLE event_target (
    event_id VARCHAR(128) NOT NULL REFERENCES event (id) ON DELETE CASCADE,
    target VARCHAR(128) NOT NULL,
    PRIMARY KEY (event_id, target)
);
CREATE INDEX event_target_target ON event_target (target);
CREATE TABLE ven (
    id VARCHAR(128) PRIMARY KEY,
    created VARCHAR(32) NOT NULL,
    modified VARCHAR(32) NOT NULL,
    client_id VARCHAR(128) NOT NULL,
    ven_name VARCHAR(128) NOT NULL UNIQUE,
    body TEXT NOT NULL
);
CREATE INDEX ven_order ON ven (created, id);
CREATE INDEX ven_client ON ven (client_id);
CREATE TABLE ven_target (
    ven_id VARCHAR(128) NOT NULL REFERENCES ven (id) ON DELETE CASCADE,
    target VARCHAR(128) NOT NULL,
    PRIMARY KEY (ven_id, target)
);
CREATE TABLE resource (
    id VARCHAR(128) PRIMARY KEY,
    created VARCHAR(32) NOT NULL,
    modified VARCHAR(32) NOT NULL,
    client_id VARCHAR(128) NOT NULL,
    ven_id VARCHAR(128) NOT NULL REFERENCES ven (id) ON DELETE CASCADE,
    resource_name VARCHAR(128) NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (ven_id, resource_name)
);
CREATE INDEX resource_order ON resource (created, id);
CREATE INDEX resource_client ON resource (client_id);
CREATE TABLE resource_target (
    resource_id VARCHAR(128) NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    target VARCHAR(128) NOT NULL,
    PRIMARY KEY (resource_id, target)
);
CREATE TABLE report (
    id VARCHAR(128) PRIMARY KEY,
    created VARCHAR(32) NOT NULL,
    modified VARCHAR(32) NOT NULL,
    client_id VARCHAR(128) NOT NULL,
    client_name VARCHAR(128) NOT NULL,
    program_id VARCHAR(128) NOT NULL REFERENCES program (id),
    event_id VARCHAR(128) NOT NULL REFERENCES event (id),
    body TEXT NOT NULL
);
CREATE INDEX report_order ON report (created, id);
CREATE INDEX report_client ON report (client_id);
CREATE INDEX report_event ON report (event_id);
CREATE TABLE subscription (
    id VARCHAR(128) PRIMARY KEY,
    created VARCHAR(32) NOT NULL,
    modified VARCHAR(32) NOT NULL,
    client_id VARCHAR(128) NOT NULL,
    client_name VARCHAR(128) NOT NULL,
    program_id VARCHAR(128) REFERENCES program (id) ON DELETE CASCADE,
    objects VARCHAR(128) NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX subscription_order ON subscription (created, id);
CREATE INDEX subscription_client ON subscription (client_id);
CREATE TABLE subscription_target (
    subscription_id VARCHAR(128) NOT NULL REFERENCES subscription (id) ON DELETE CASCADE,
    target VARCHAR(128) NOT NULL,
    PRIMARY KEY (subscription_id, target)
);
